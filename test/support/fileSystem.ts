import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import pino from 'pino';
import { loadGatewayConfig, openLocalGateway, startGateway } from '../../gateway/src';
import { freePort } from '../../scripts/system';
import { createLogger, openLocalSubgraph, PROVINCE_KEYS, type Logger } from '../../shared/src';
import { loadPlatformConfig, platformSubgraphService, startPlatformSubgraph } from '../../subgraphs/platform/src';
import { loadProvinceConfig, provinceSubgraphService, startProvinceSubgraph } from '../../subgraphs/province/src';
import { fetchRegistered, registerLocalFetch } from './transport';
import type { TestClusterDescription } from './testCluster';
import type { TestSystemDescription } from './testSystem';

type Owner = 'platform' | 'sichuan' | 'chongqing';
/** Where the tests and the services call from (127.0.0.1; ::1 when `localhost` resolves to it). Other 127.x addresses stay untrusted callers. */
const LOOPBACK = '127.0.0.1/32,::1/128';
const OWNERS: readonly Owner[] = ['platform', ...PROVINCE_KEYS];

export interface FileSystem {
  readonly description: TestSystemDescription;
  stop(): Promise<void>;
}

/** How a test file's services reach one another: real HTTP ports, or calls in this process. */
export type Transport = 'http' | 'in-process';

/**
 * The system of one test file: a database per owner copied from the migrated,
 * seeded templates (so no file sees another's writes), and the gateway and the
 * three subgraphs in this process with the configuration production uses. Over
 * `http` each listens on its own real port; `in-process`, the gateway fetches
 * from the subgraphs in memory and tests call it the same way, with no port
 * (test/README.md says which files may). Each service logs to `<logDir>/<name>.log`.
 */
export async function startFileSystem(cluster: TestClusterDescription, transport: Transport = 'http'): Promise<FileSystem> {
  const databaseUrls = await copyTemplates(cluster);
  const logDir = mkdtempSync(join(tmpdir(), 'shuangcheng-file-'));
  const running: { close(): Promise<void> }[] = [];
  const stop = async () => {
    // Gateway first (it was started last), so no request reaches a closing subgraph.
    for (const service of running.reverse()) await service.close();
    if (!process.env['KEEP_TEST_DATA']) rmSync(logDir, { recursive: true, force: true });
  };
  const loggerFor = (service: string) => fileLogger(logDir, service);
  const configs = new FileSystemConfigs(cluster, databaseUrls);
  try {
    const { gatewayUrl, subgraphUrls } = transport === 'http'
      ? await startOverHttp(configs, loggerFor, running)
      : await startInProcess(configs, loggerFor, running);
    return {
      description: {
        gatewayUrl,
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

/** A service's logger writing JSON lines to `<logDir>/<service>.log`, which tests read. */
export const fileLogger = (logDir: string, service: string): Logger =>
  createLogger(service, 'info', pino.destination({ dest: join(logDir, `${service}.log`), sync: true }));

type Started = { gatewayUrl: string; subgraphUrls: Record<Owner, string> };
type LoggerFor = (service: string) => Logger;

async function startOverHttp(configs: FileSystemConfigs, loggerFor: LoggerFor, running: { close(): Promise<void> }[]): Promise<Started> {
  const platform = await startPlatformSubgraph(configs.platform(), loggerFor('platform'));
  running.push(platform);
  const jwksUrl = new URL('/.well-known/jwks.json', platform.url).toString();
  // Joint labs ask the gateway about the partner's instruments, so the provinces must know its address before it starts.
  const gatewayUrl = `http://127.0.0.1:${await freePort()}/graphql`;
  const subgraphUrls: Record<Owner, string> = { platform: platform.url, sichuan: '', chongqing: '' };
  for (const province of PROVINCE_KEYS) {
    const service = await startProvinceSubgraph(configs.province(province, jwksUrl, gatewayUrl), loggerFor(province));
    running.push(service);
    subgraphUrls[province] = service.url;
  }
  const gateway = await startGateway(configs.gateway(new URL(gatewayUrl).port, jwksUrl, subgraphUrls), loggerFor('gateway'));
  running.push(gateway);
  // The address the services listen on, not `localhost`, which makes every connection try ::1 first: in CI's full run
  // the first requests of a file timed out connecting (`usage.test.ts`, twice), never with the address itself.
  return { gatewayUrl: `http://127.0.0.1:${gateway.port}/graphql`, subgraphUrls };
}

/** The same services with no port: each answers through its in-process fetch, registered for test/support/system.ts under a made-up origin. */
async function startInProcess(configs: FileSystemConfigs, loggerFor: LoggerFor, running: { close(): Promise<void> }[]): Promise<Started> {
  const local = (owner: string) => `http://${owner}.in-process/graphql`;
  const subgraphUrls: Record<Owner, string> = { platform: local('platform'), sichuan: local('sichuan'), chongqing: local('chongqing') };
  const gatewayUrl = local('gateway');
  // Nothing is fetched from here: the services are handed the platform's keys.
  const jwksUrl = 'http://platform.in-process/.well-known/jwks.json';
  const platformConfig = configs.platform();
  const platform = await openLocalSubgraph(platformSubgraphService(platformConfig), platformConfig, loggerFor('platform'));
  running.push(platform);
  const jwks = platform.localJwks!;
  registerLocalFetch(subgraphUrls.platform, platform.fetch);
  // The provinces ask the gateway about partner instruments; it is opened after them, so they reach it through the registry.
  const gatewayFetch: typeof fetch = (input, init) => fetchRegistered(gatewayUrl)(input, init);
  for (const province of PROVINCE_KEYS) {
    const config = configs.province(province, jwksUrl, gatewayUrl);
    const service = await openLocalSubgraph(
      provinceSubgraphService(config, { gatewayFetch, platformFetch: fetchRegistered(subgraphUrls.platform) }), config, loggerFor(province), { jwks },
    );
    running.push(service);
    registerLocalFetch(subgraphUrls[province], service.fetch);
  }
  const subgraphs = Object.fromEntries(Object.values(subgraphUrls).map((url) => [url, fetchRegistered(url)]));
  const gateway = await openLocalGateway(configs.gateway('0', jwksUrl, subgraphUrls), loggerFor('gateway'), { subgraphs, jwks });
  running.push(gateway);
  registerLocalFetch(gatewayUrl, gateway.fetch);
  return { gatewayUrl, subgraphUrls };
}

/**
 * Every service's configuration for one test file, as the launcher's environment gives it in production form;
 * `env` adds to or overrides it (ownServices.ts).
 */
export class FileSystemConfigs {
  private readonly common;

  constructor(
    private readonly cluster: Pick<TestClusterDescription, 'gatewaySecret' | 'signingKeyFile'>,
    private readonly databaseUrls: Readonly<Record<Owner, string>>,
  ) {
    this.common = {
      NODE_ENV: 'development', HOST: '127.0.0.1', LOG_LEVEL: 'info', GATEWAY_SECRET: cluster.gatewaySecret,
      // The templates are migrated and seeded; a copy needs neither.
      MIGRATE_ON_START: 'false', SEED_DEMO_DATA: 'false',
      // A suspension reaches the provinces within a second, so tests see it without waiting long.
      CLIENT_STATUS_MAX_AGE_SECONDS: '1',
    };
  }

  platform(env: Record<string, string> = {}) {
    return loadPlatformConfig({
      ...this.common,
      PORT: '0',
      DATABASE_URL: this.databaseUrls.platform,
      JWT_SIGNING_KEY_FILE: this.cluster.signingKeyFile,
      // The gateway's address; it also presents GATEWAY_SECRET, which a test calling directly does not.
      TRUSTED_PROXIES: LOOPBACK,
      ...env,
    });
  }

  province(province: (typeof PROVINCE_KEYS)[number], jwksUrl: string, gatewayUrl: string, env: Record<string, string> = {}) {
    return loadProvinceConfig({
      ...this.common,
      PROVINCE: province,
      PORT: '0',
      DATABASE_URL: this.databaseUrls[province],
      JWKS_URL: jwksUrl,
      GATEWAY_URL: gatewayUrl,
      // No sweep behind a test's back: fixtures move confirmed bookings into the past; the no-show test starts its own sweeping province.
      NO_SHOW_SWEEP_SECONDS: '0',
      // Webhook retries in a test wait fractions of a second, not the minutes production waits.
      WEBHOOK_POLL_MS: '200', WEBHOOK_TIMEOUT_MS: '1500', WEBHOOK_RETRY_BASE_MS: '200', WEBHOOK_RETRY_MAX_MS: '1000', WEBHOOK_MAX_ATTEMPTS: '4',
      // No mail behind a test's back: the notifications are written and wait; notifications.test.ts starts a province that sends them.
      NOTIFICATION_CONCURRENCY: '0',
      // Production has no development key: a test's production province seals webhook secrets with a key of its own.
      ...(env['NODE_ENV'] === 'production' ? { WEBHOOK_SECRET_KEYS: `test-1:shuangcheng-test-webhook-key-${province}` } : {}),
      ...env,
    });
  }

  gateway(port: string, jwksUrl: string, subgraphUrls: Readonly<Record<Owner, string>>, env: Record<string, string> = {}) {
    return loadGatewayConfig({
      NODE_ENV: 'development',
      HOST: '127.0.0.1',
      LOG_LEVEL: 'info',
      PORT: port,
      JWKS_URL: jwksUrl,
      PLATFORM_URL: subgraphUrls.platform,
      SICHUAN_URL: subgraphUrls.sichuan,
      CHONGQING_URL: subgraphUrls.chongqing,
      GATEWAY_SECRET: this.cluster.gatewaySecret,
      SUPERGRAPH_WATCH: 'false',
      // Every test file calls from 127.0.0.1 with the same few identities; gatewayLimits.test.ts and
      // expensiveFields.test.ts start limited gateways of their own.
      RATE_LIMIT_PER_MINUTE: '0',
      SIGN_INS_PER_MINUTE: '0',
      BOOKINGS_PER_MINUTE: '0',
      CARD_CHECKS_PER_MINUTE: '0',
      // Tests act as the gateway's load balancer: x-forwarded-for gives each throttling test its own address.
      TRUSTED_PROXIES: LOOPBACK,
      ...env,
    });
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
