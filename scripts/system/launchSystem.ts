import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import {
  PROVINCE_KEYS, provisionDatabase, readOrCreateSecret, startEmbeddedPostgres, type Logger, type ProvinceKey,
} from '../../shared/src';
import { spawnService, type ChildService } from './childService';
import { freePort } from './freePort';

export interface SystemPorts {
  gateway: number;
  platform: number;
  sichuan: number;
  chongqing: number;
  postgres: number;
}

export interface SystemOptions {
  /** Root folder for the cluster, secrets, signing key and logs. */
  readonly dataDir: string;
  /** 0 picks a free port. */
  readonly ports: SystemPorts;
  readonly logLevel: string;
  readonly logger: Logger;
}

export interface RunningSystem {
  readonly gatewayUrl: string;
  readonly subgraphUrls: Readonly<Record<'platform' | ProvinceKey, string>>;
  /** Superuser URL of the embedded cluster (tests use it to inspect each database). */
  readonly postgresAdminUrl: string;
  /** Per-owner database URLs, each with that owner's own role. */
  readonly databaseUrls: Readonly<Record<'platform' | ProvinceKey, string>>;
  readonly services: readonly ChildService[];
  readonly logDir: string;
  stop(): Promise<void>;
}

type Owner = 'platform' | ProvinceKey;
const OWNERS: readonly Owner[] = ['platform', ...PROVINCE_KEYS];

/**
 * The whole platform on one machine: one embedded PostgreSQL holding a
 * database and a role per owner, the three subgraphs and the gateway, each in
 * its own process with the same environment variables production uses.
 */
export async function launchSystem(options: SystemOptions): Promise<RunningSystem> {
  const { logger } = options;
  const dataDir = resolve(options.dataDir);
  const logDir = join(dataDir, 'logs');
  mkdirSync(logDir, { recursive: true });
  const ports = { ...options.ports };
  for (const key of Object.keys(ports) as (keyof SystemPorts)[]) if (ports[key] === 0) ports[key] = await freePort();

  const postgres = await startEmbeddedPostgres({ dataDir: join(dataDir, 'postgres'), port: ports.postgres, logger });
  const services: ChildService[] = [];
  const stop = async () => {
    // Gateway first so no new request reaches a stopping subgraph, then the subgraphs, then the database.
    for (const service of [...services].reverse()) await service.stop();
    await postgres.stop();
  };

  try {
    const databaseUrls = {} as Record<Owner, string>;
    for (const owner of OWNERS) {
      const password = await readOrCreateSecret(join(dataDir, 'secrets', `${owner}_svc-password`));
      databaseUrls[owner] = await provisionDatabase(postgres.adminUrl, { database: `shuangcheng_${owner}`, role: `${owner}_svc`, password });
    }

    const url = (port: number) => `http://127.0.0.1:${port}/graphql`;
    const subgraphUrls: Record<Owner, string> = { platform: url(ports.platform), sichuan: url(ports.sichuan), chongqing: url(ports.chongqing) };
    const jwksUrl = `http://127.0.0.1:${ports.platform}/.well-known/jwks.json`;
    const common = { LOG_LEVEL: options.logLevel, NODE_ENV: 'development', JWKS_URL: jwksUrl, SEED_DEMO_DATA: 'true', MIGRATE_ON_START: 'true' };

    const platform = spawnService('platform', 'subgraphs/platform/src/main.ts', {
      ...common,
      PORT: String(ports.platform),
      DATABASE_URL: databaseUrls.platform,
      JWT_SIGNING_KEY_FILE: join(dataDir, 'keys', 'jwt-signing-key.pem'),
      JWT_GENERATE_SIGNING_KEY: 'true',
      TRUST_PROXY: 'true', // the gateway in front appends each caller's address to x-forwarded-for (login throttling)
    }, logDir);
    services.push(platform);
    const provinces = PROVINCE_KEYS.map((province) =>
      spawnService(province, 'subgraphs/province/src/main.ts', {
        ...common,
        PROVINCE: province,
        PORT: String(ports[province]),
        DATABASE_URL: databaseUrls[province],
        // Joint labs check the partner's instruments through the gateway, which starts last; it is only asked at write time.
        GATEWAY_URL: url(ports.gateway),
      }, logDir),
    );
    services.push(...provinces);
    await Promise.all([
      platform.waitUntil('ready', subgraphUrls.platform),
      ...provinces.map((service, index) => service.waitUntil('ready', subgraphUrls[PROVINCE_KEYS[index]!])),
    ]);

    const gateway = spawnService('gateway', 'gateway/src/main.ts', {
      LOG_LEVEL: options.logLevel,
      NODE_ENV: 'development',
      JWKS_URL: jwksUrl,
      PORT: String(ports.gateway),
      PLATFORM_URL: subgraphUrls.platform,
      SICHUAN_URL: subgraphUrls.sichuan,
      CHONGQING_URL: subgraphUrls.chongqing,
    }, logDir);
    services.push(gateway);
    const gatewayUrl = `http://localhost:${ports.gateway}/graphql`;
    await gateway.waitUntil('live', url(ports.gateway));

    return { gatewayUrl, subgraphUrls, postgresAdminUrl: postgres.adminUrl, databaseUrls, services, logDir, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
