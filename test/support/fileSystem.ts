import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import pino from 'pino';
import { loadGatewayConfig, startGateway } from '../../gateway/src';
import { freePort } from '../../scripts/system';
import { createLogger, PROVINCE_KEYS, type Logger } from '../../shared/src';
import { loadPlatformConfig, startPlatformSubgraph } from '../../subgraphs/platform/src';
import { loadProvinceConfig, startProvinceSubgraph } from '../../subgraphs/province/src';
import type { TestClusterDescription } from './testCluster';
import type { TestSystemDescription } from './testSystem';

type Owner = 'platform' | 'sichuan' | 'chongqing';
const OWNERS: readonly Owner[] = ['platform', ...PROVINCE_KEYS];

export interface FileSystem {
  readonly description: TestSystemDescription;
  stop(): Promise<void>;
}

/**
 * The system of one test file: a database per owner copied from the migrated,
 * seeded templates (so no file sees another's writes), and the gateway and the
 * three subgraphs started in this process, each on its own real HTTP port, with
 * the configuration production uses. Each service logs to `<logDir>/<name>.log`.
 */
export async function startFileSystem(cluster: TestClusterDescription): Promise<FileSystem> {
  const databaseUrls = await copyTemplates(cluster);
  const logDir = mkdtempSync(join(tmpdir(), 'shuangcheng-file-'));
  const running: { close(): Promise<void> }[] = [];
  const stop = async () => {
    // Gateway first (it was started last), so no request reaches a closing subgraph.
    for (const service of running.reverse()) await service.close();
    if (!process.env['KEEP_TEST_DATA']) rmSync(logDir, { recursive: true, force: true });
  };
  const loggerFor = (service: string): Logger =>
    createLogger(service, 'info', pino.destination({ dest: join(logDir, `${service}.log`), sync: true }));
  const common = {
    NODE_ENV: 'development', HOST: '127.0.0.1', LOG_LEVEL: 'info', GATEWAY_SECRET: cluster.gatewaySecret,
    // The templates are migrated and seeded; a copy needs neither.
    MIGRATE_ON_START: 'false', SEED_DEMO_DATA: 'false',
  };

  try {
    const platform = await startPlatformSubgraph(loadPlatformConfig({
      ...common,
      PORT: '0',
      DATABASE_URL: databaseUrls.platform,
      JWT_SIGNING_KEY_FILE: cluster.signingKeyFile,
      // Tests act as the gateway's load balancer: x-forwarded-for gives each throttling test its own address.
      TRUST_PROXY: 'true',
    }), loggerFor('platform'));
    running.push(platform);
    const jwksUrl = new URL('/.well-known/jwks.json', platform.url).toString();
    // Joint labs ask the gateway about the partner's instruments, so the provinces must know its address before it starts.
    const gatewayPort = await freePort();
    const subgraphUrls: Record<Owner, string> = { platform: platform.url, sichuan: '', chongqing: '' };
    for (const province of PROVINCE_KEYS) {
      const service = await startProvinceSubgraph(loadProvinceConfig({
        ...common,
        PROVINCE: province,
        PORT: '0',
        DATABASE_URL: databaseUrls[province],
        JWKS_URL: jwksUrl,
        GATEWAY_URL: `http://127.0.0.1:${gatewayPort}/graphql`,
      }), loggerFor(province));
      running.push(service);
      subgraphUrls[province] = service.url;
    }
    const gateway = await startGateway(loadGatewayConfig({
      NODE_ENV: 'development',
      HOST: '127.0.0.1',
      LOG_LEVEL: 'info',
      PORT: String(gatewayPort),
      JWKS_URL: jwksUrl,
      PLATFORM_URL: subgraphUrls.platform,
      SICHUAN_URL: subgraphUrls.sichuan,
      CHONGQING_URL: subgraphUrls.chongqing,
      GATEWAY_SECRET: cluster.gatewaySecret,
      SUPERGRAPH_WATCH: 'false',
      // Every test file calls from 127.0.0.1 with the same few identities; gatewayLimits.test.ts starts a limited gateway of its own.
      RATE_LIMIT_PER_MINUTE: '0',
      TRUST_FORWARDED_FOR: 'true',
    }), loggerFor('gateway'));
    running.push(gateway);
    return {
      description: {
        gatewayUrl: `http://localhost:${gateway.port}/graphql`,
        subgraphUrls,
        postgresAdminUrl: cluster.postgresAdminUrl,
        databaseUrls,
        logDir,
        gatewaySecret: cluster.gatewaySecret,
        signingKeyFile: cluster.signingKeyFile,
      },
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}

/**
 * A database per owner for this file, copied from that owner's template and
 * closed to every other role as the launcher closes the originals. Copies are
 * left for globalTeardown, which removes the whole cluster: dropping one here
 * would cut the connections a test's own pools may still hold.
 */
async function copyTemplates(cluster: TestClusterDescription): Promise<Record<Owner, string>> {
  const suffix = `${process.pid}_${randomBytes(4).toString('hex')}`;
  const admin = new Client({ connectionString: cluster.postgresAdminUrl });
  await admin.connect();
  try {
    const urls = {} as Record<Owner, string>;
    for (const owner of OWNERS) {
      const template = new URL(cluster.templateUrls[owner]);
      const role = admin.escapeIdentifier(decodeURIComponent(template.username));
      const name = `file_${owner}_${suffix}`;
      const database = admin.escapeIdentifier(name);
      await admin.query(`CREATE DATABASE ${database} TEMPLATE ${admin.escapeIdentifier(template.pathname.slice(1))} OWNER ${role}`);
      await admin.query(`REVOKE ALL ON DATABASE ${database} FROM PUBLIC`);
      await admin.query(`GRANT CONNECT, TEMPORARY ON DATABASE ${database} TO ${role}`);
      template.pathname = `/${name}`;
      urls[owner] = template.toString();
    }
    return urls;
  } finally {
    await admin.end();
  }
}
