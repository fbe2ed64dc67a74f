import { parse } from 'graphql';
import {
  createTokenVerifier, identifyRequest, resolveDatabaseUrl, startSubgraphServer, type Logger,
} from '../../../shared/src';
import type { ProvinceConfig } from './config';
import { createLoaders } from './loaders/createLoaders';
import type { ProvinceContext, ProvinceRepositories } from './ProvinceContext';
import { createProvinceDataSource } from './provinceDataSource';
import { renderProvinceSchema } from './renderProvinceSchema';
import {
  BookingRepository, CategoryRepository, InstrumentRepository, LabRepository, RecognitionRepository, TalentCardRepository,
} from './repositories';
import { createProvinceResolvers } from './resolvers/createProvinceResolvers';
import { DEMO_SEEDS, seedProvince } from './seeds';

export interface RunningService {
  readonly url: string;
  readonly port: number;
  close(): Promise<void>;
}

/** One province's subgraph: its database (migrated, seeded as configured), its schema, its HTTP server. */
export async function startProvinceSubgraph(config: ProvinceConfig, logger: Logger): Promise<RunningService> {
  const { province, partner } = config;
  const database = await resolveDatabaseUrl(config.database, `${province.key}_svc`, logger);
  const dataSource = createProvinceDataSource(province, database.url, config.databasePoolSize);
  await dataSource.initialize();
  if (config.migrateOnStart) await dataSource.runMigrations();
  if (config.seedDemo) {
    await seedProvince(dataSource, DEMO_SEEDS[province.key]);
    logger.info('demo registry present');
  }

  const repositories: ProvinceRepositories = {
    instruments: new InstrumentRepository(dataSource),
    labs: new LabRepository(dataSource),
    categories: new CategoryRepository(dataSource),
    talentCards: new TalentCardRepository(dataSource),
    recognitions: new RecognitionRepository(dataSource),
    bookings: new BookingRepository(dataSource),
  };
  const verifier = createTokenVerifier(config.auth);

  const server = await startSubgraphServer<ProvinceContext>({
    typeDefs: parse(renderProvinceSchema(province, partner)),
    resolvers: createProvinceResolvers(province, partner),
    port: config.port,
    host: config.host,
    logger,
    production: config.production,
    context: async (req) => ({
      ...(await identifyRequest(req, verifier)),
      province,
      partner,
      repositories,
      loaders: createLoaders(repositories),
    }),
    checkReady: async () => {
      await dataSource.query('SELECT 1');
      return { ready: true, checks: { database: 'up' } };
    },
  });
  logger.info({ url: server.url, province: province.key }, 'province subgraph ready');
  return {
    url: server.url,
    port: server.port,
    close: async () => {
      await server.close();
      await dataSource.destroy();
      await database.close();
    },
  };
}
