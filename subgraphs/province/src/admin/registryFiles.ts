import { createReadStream, createWriteStream } from 'node:fs';
import { userInfo } from 'node:os';
import { withMigratedDatabase, type ProvinceDefinition, type Viewer } from '../../../../shared/src';
import { UnitOfWork } from '../persistence/UnitOfWork';
import { createProvinceDataSource } from '../provinceDataSource';
import { provinceRepositories } from '../provinceRepositories';
import { RegistryExportService } from '../registryFiles/RegistryExportService';
import { RegistryImportService, type RegistryImportReport } from '../registryFiles/RegistryImportService';
import { readRegistryRows, writeRegistryRows, type RegistryFileFormat } from '../registryFiles/registryFileStreams';

/** Who the audit log names for changes made at the server's console: the operator's login there. */
function operator(): Viewer {
  const name = userInfo().username;
  return {
    subject: `operator:${name}`, kind: 'user', province: null, roles: [], scopes: [],
    displayName: `${name} (npm run import)`, institution: null, affiliation: null, quota: null, delegation: null,
  };
}

/** Loads a registry file into one province's database, streamed, in one transaction (`npm run import`). */
export function importRegistryFile(
  province: ProvinceDefinition, partner: ProvinceDefinition, databaseUrl: string, file: string, format: RegistryFileFormat, options: { dryRun?: boolean } = {},
): Promise<RegistryImportReport> {
  return withMigratedDatabase(province.key, createProvinceDataSource(province, databaseUrl, 1), (dataSource) => {
    const service = new RegistryImportService(new UnitOfWork(dataSource, provinceRepositories), province, partner);
    return service.importRows(operator(), readRegistryRows(createReadStream(file), format), options);
  });
}

/** Writes one province's registry to a file, streamed (`npm run export`); returns the instruments written. */
export function exportRegistryFile(province: ProvinceDefinition, databaseUrl: string, file: string, format: RegistryFileFormat): Promise<number> {
  return withMigratedDatabase(province.key, createProvinceDataSource(province, databaseUrl, 1), (dataSource) =>
    // One snapshot: a registry changing while it is written still gives a consistent file.
    dataSource.transaction('REPEATABLE READ', (manager) =>
      writeRegistryRows(new RegistryExportService(provinceRepositories(manager)).rows(), createWriteStream(file), format)),
  );
}
