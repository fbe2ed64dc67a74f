import {
  createMetricsRegistry, createTokenVerifier, databaseReadiness, identifyRequest, openServiceDatabase, registerDatabasePoolMetrics, startSubgraphServer, type Logger,
} from '../../../shared/src';
import type { ProvinceConfig } from './config';
import { createProvinceSubgraph } from './createProvinceSubgraph';
import type { ProvinceContext } from './ProvinceContext';
import { createProvinceDataSource } from './provinceDataSource';
import { loadProvinceSeed, seedProvince } from './seeds';

export interface RunningService {
  readonly url: string;
  readonly port: number;
  close(): Promise<void>;
}

/** One province's subgraph: its database (migrated, seeded as configured), its schema, its HTTP server. */
export async function startProvinceSubgraph(config: ProvinceConfig, logger: Logger): Promise<RunningService> {
  const { province, partner } = config;
  const database = await openServiceDatabase(
    config, `${province.key}_svc`, (url, poolSize) => createProvinceDataSource(province, url, poolSize), logger,
  );
  const { dataSource } = database;
  const metrics = createMetricsRegistry(province.key);
  registerDatabasePoolMetrics(metrics, dataSource);
  if (config.seedDemo) {
    // Only this province's seed file is read.
    await seedProvince(dataSource, loadProvinceSeed(province.key));
    logger.info('demo registry present');
  }

  const subgraph = createProvinceSubgraph(province, partner, dataSource, { gatewayUrl: config.gatewayUrl });
  const verifier = createTokenVerifier(config.auth);

  const server = await startSubgraphServer<ProvinceContext>({
    schema: subgraph.schema,
    port: config.port,
    host: config.host,
    logger,
    production: config.production,
    gatewaySecret: config.gatewaySecret,
    metrics,
    // The verified caller's own header is kept to pass on when this subgraph asks the gateway for them.
    context: async (req) => subgraph.createContext({ ...(await identifyRequest(req, verifier)), authorization: req.headers.authorization }),
    checkReady: () => databaseReadiness(dataSource),
  });
  logger.info({ url: server.url, province: province.key }, 'province subgraph ready');
  return {
    url: server.url,
    port: server.port,
    close: async () => {
      await server.close();
      await database.close();
    },
  };
}
