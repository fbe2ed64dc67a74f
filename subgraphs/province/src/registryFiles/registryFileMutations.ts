import { Readable } from 'node:stream';
import { badUserInput, type ProvinceDefinition } from '../../../../shared/src';
import { PROVINCE_ADMIN } from '../domain/provinceAdmin';
import { authorized } from './RegistryFileContext';
import { readRegistryRows, type RegistryFileFormat } from './registryFileStreams';

/**
 * The largest file the upload mutation takes, decoded: its base64 text (4/3 of it) and the request around it stay
 * under the gateway's MAX_BODY_BYTES default (1,000,000). Larger files go through `npm run import`.
 */
export const MAX_UPLOAD_BYTES = 700_000;

type ImportArgs = { format: RegistryFileFormat; contentBase64: string; dryRun?: boolean | null };

/** The file a mutation carries, decoded; BAD_USER_INPUT when it is not base64 or too large. */
export function decodeUpload(contentBase64: string): Buffer {
  const text = contentBase64.replace(/\s+/g, '');
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(text) || text.length % 4 !== 0) {
    throw badUserInput('contentBase64 must be the file in base64 (RFC 4648, with padding).', { argument: 'contentBase64' });
  }
  if ((text.length / 4) * 3 > MAX_UPLOAD_BYTES + 2) {
    throw badUserInput(
      `contentBase64: the file is larger than ${MAX_UPLOAD_BYTES.toLocaleString('en')} bytes; split it, or load it with \`npm run import\` on the province's server.`,
      { argument: 'contentBase64', maxBytes: MAX_UPLOAD_BYTES },
    );
  }
  return Buffer.from(text, 'base64');
}

/** Loading a registry file through the API, named for the province; `@policy` admits admins of this province only. */
export function registryFileMutations(province: ProvinceDefinition) {
  return {
    [`import${province.typePrefix}Registry`]: authorized.policy(PROVINCE_ADMIN, (_: unknown, { format, contentBase64, dryRun }: ImportArgs, { viewer, services }) =>
      services.registryImport.importRows(viewer, readRegistryRows(Readable.from(decodeUpload(contentBase64)), format), { dryRun: dryRun ?? false })),
  };
}
