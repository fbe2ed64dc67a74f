import { join, resolve } from 'node:path';
import {
  PROVINCE_KEYS, ensureOwnedFolder, provisionDatabase, readOrCreateSecret, startEmbeddedPostgres, type EmbeddedPostgres, type Logger, type ProvinceKey,
} from '../../shared/src';
import { spawnService, type ChildService, type ExitStatus, type ServiceRuntime } from './childService';
import { freePort } from './freePort';

/** A port per service (one per province of the table) and for the embedded PostgreSQL. */
export type SystemPorts = { gateway: number; platform: number; postgres: number } & Record<ProvinceKey, number>;

export interface SystemOptions {
  /** Root folder for the cluster, secrets, signing key and logs. */
  readonly dataDir: string;
  /** 0 picks a free port. */
  readonly ports: SystemPorts;
  readonly logLevel: string;
  readonly logger: Logger;
  /**
   * One embedded PostgreSQL per owner, as in production (docker-compose.yml),
   * so that one owner's database can restart while the others serve; each on
   * a free port. Default: one cluster holding every owner's database.
   */
  readonly clusterPerOwner?: boolean;
  /** `compiled` runs `dist/` (after `npm run build`), as the image does; default `source`, through tsx (childService.ts). */
  readonly runtime?: ServiceRuntime;
  /** More environment for the platform (npm start: the development identity provider, `OIDC_PROVIDERS`). */
  readonly platformEnv?: Readonly<Record<string, string>>;
  /**
   * How the services run once the system is up. `development` (the default, `npm start`): as they started, with the
   * demo data loaded and migrations run at start, readiness beside each GraphQL URL. `production` (the bench): the
   * system starts so first, to migrate and load the demo data, which production refuses, and then every service is
   * started again as production runs it (`NODE_ENV=production`, an admin port for readiness and metrics, a webhook
   * sealing key of its own), over the same databases. Production accepts webhooks to public https addresses only,
   * so none to this machine.
   */
  readonly serve?: 'development' | 'production';
  /** More PostgreSQL server settings for every cluster (EmbeddedPostgresOptions.settings). */
  readonly postgresSettings?: Readonly<Record<string, string>>;
  /** More Node options for every service (the bench's `--node-flags`: GC traces, V8's map log). */
  readonly nodeFlags?: readonly string[];
}

export interface RunningSystem {
  readonly gatewayUrl: string;
  readonly subgraphUrls: Readonly<Record<'platform' | ProvinceKey, string>>;
  /** Superuser URL of the embedded cluster (tests use it to inspect each database). */
  readonly postgresAdminUrl: string;
  /** Per-owner database URLs, each with that owner's own role. */
  readonly databaseUrls: Readonly<Record<'platform' | ProvinceKey, string>>;
  /** The secret the gateway shows the subgraphs (tests that ask `_entities` directly act as the gateway with it). */
  readonly gatewaySecret: string;
  /** The platform's RSA signing key (PEM), generated on first start. */
  readonly signingKeyFile: string;
  readonly services: readonly ChildService[];
  readonly logDir: string;
  /** Stops one service (SIGTERM) and says how it ended. */
  stopService(name: string): Promise<ExitStatus>;
  /** Starts a stopped service again with the same environment; resolves once it is ready (the gateway: live). */
  startService(name: string): Promise<void>;
  /** Stops (fast shutdown) / starts again the PostgreSQL holding `owner`'s database: with one cluster, every owner's. */
  stopPostgres(owner: Owner): Promise<void>;
  startPostgres(owner: Owner): Promise<void>;
  stop(): Promise<void>;
}

export type Owner = 'platform' | ProvinceKey;
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
  // Ours alone to change (the `postgres` user only passes through to its cluster), so nobody can plant a link among the logs.
  await ensureOwnedFolder(dataDir, { mode: 0o711 });
  await ensureOwnedFolder(logDir, { mode: 0o700 });
  const ports = { ...options.ports };
  for (const key of Object.keys(ports) as (keyof SystemPorts)[]) if (ports[key] === 0) ports[key] = await freePort();

  const clusters = await startClusters(options, dataDir, ports.postgres);
  const services: ChildService[] = [];
  /** How to start each service again: its entry, environment and the health URL that says it is up. */
  const specs = new Map<string, { entry: string; env: Record<string, string>; healthUrl: string; kind: 'live' | 'ready' }>();
  const launch = (name: string, entry: string, env: Record<string, string>, healthUrl: string, kind: 'live' | 'ready' = 'ready') => {
    specs.set(name, { entry, env, healthUrl, kind });
    const service = spawnService(name, entry, env, logDir, options.runtime, options.nodeFlags);
    services.push(service);
    return service;
  };
  const serviceNamed = (name: string) => {
    const service = services.find((candidate) => candidate.name === name);
    if (!service) throw new Error(`no service named ${name}; there are ${services.map((s) => s.name).join(', ')}`);
    return service;
  };
  const stop = async () => {
    // Gateway first so no new request reaches a stopping subgraph, then the subgraphs, then the database.
    for (const service of [...services].reverse()) await service.stop();
    for (const cluster of new Set(clusters.values())) await cluster.stop();
  };

  try {
    const databaseUrls = {} as Record<Owner, string>;
    for (const owner of OWNERS) {
      const password = await readOrCreateSecret(join(dataDir, 'secrets', `${owner}_svc-password`));
      databaseUrls[owner] = await provisionDatabase(clusters.get(owner)!.adminUrl, { database: `shuangcheng_${owner}`, role: `${owner}_svc`, password });
    }

    const url = (port: number) => `http://127.0.0.1:${port}/graphql`;
    const subgraphUrls = Object.fromEntries(OWNERS.map((owner) => [owner, url(ports[owner])])) as Record<Owner, string>;
    const jwksUrl = `http://127.0.0.1:${ports.platform}/.well-known/jwks.json`;
    // Shown by the gateway to every subgraph, which answers _entities only to it.
    const gatewaySecret = await readOrCreateSecret(join(dataDir, 'secrets', 'gateway-secret'));
    const signingKeyFile = join(dataDir, 'keys', 'jwt-signing-key.pem');
    const common = {
      LOG_LEVEL: options.logLevel, NODE_ENV: 'development', JWKS_URL: jwksUrl, SEED_DEMO_DATA: 'true', MIGRATE_ON_START: 'true', GATEWAY_SECRET: gatewaySecret,
    };

    const platform = launch('platform', 'subgraphs/platform/src/main.ts', {
      ...common,
      PORT: String(ports.platform),
      DATABASE_URL: databaseUrls.platform,
      JWT_SIGNING_KEY_FILE: signingKeyFile,
      JWT_GENERATE_SIGNING_KEY: 'true',
      // The gateway, on this machine, writes each caller's address into x-forwarded-for (login throttling); the platform
      // believes it only from this address together with GATEWAY_SECRET, which other local processes do not have.
      TRUSTED_PROXIES: '127.0.0.1/32,::1/128',
      ...options.platformEnv,
    }, subgraphUrls.platform);
    const provinces = PROVINCE_KEYS.map((province) =>
      launch(province, 'subgraphs/province/src/main.ts', {
        ...common,
        PROVINCE: province,
        PORT: String(ports[province]),
        DATABASE_URL: databaseUrls[province],
        // Joint labs check the partner's instruments through the gateway, which starts last; it is only asked at write time.
        GATEWAY_URL: url(ports.gateway),
      }, subgraphUrls[province]),
    );
    await Promise.all([
      platform.waitUntil('ready', subgraphUrls.platform),
      ...provinces.map((service, index) => service.waitUntil('ready', subgraphUrls[PROVINCE_KEYS[index]!])),
    ]);

    const gateway = launch('gateway', 'gateway/src/main.ts', {
      LOG_LEVEL: options.logLevel,
      NODE_ENV: 'development',
      JWKS_URL: jwksUrl,
      PORT: String(ports.gateway),
      // No TRUSTED_PROXIES: nothing stands in front of it, so a caller's own x-forwarded-for is never believed.
      // PLATFORM_URL, SICHUAN_URL…: where each subgraph the supergraph names runs.
      ...Object.fromEntries(OWNERS.map((owner) => [`${owner.toUpperCase()}_URL`, subgraphUrls[owner]])),
      GATEWAY_SECRET: gatewaySecret,
    }, url(ports.gateway), 'live');
    const gatewayUrl = `http://localhost:${ports.gateway}/graphql`;
    await gateway.waitUntil('live', url(ports.gateway));
    // Where each service answers /health/ready: beside its GraphQL URL in development, on its admin listener in production.
    const adminUrls = Object.fromEntries([...OWNERS, 'gateway' as const].map((name) => [name, specs.get(name)!.healthUrl])) as Record<'gateway' | Owner, string>;

    if (options.serve === 'production') {
      // Gateway first, as at stop; then each service again in production, subgraphs before the gateway that needs them ready.
      for (const name of ['gateway', ...OWNERS]) await serviceNamed(name).stop();
      const webhookKey = await readOrCreateSecret(join(dataDir, 'secrets', 'webhook-secret-key'));
      for (const name of [...OWNERS, 'gateway' as const]) {
        const spec = specs.get(name)!;
        const adminPort = await freePort();
        const env: Record<string, string> = { ...spec.env, NODE_ENV: 'production', ADMIN_PORT: String(adminPort) };
        // Loaded by the development start above; production refuses both.
        delete env['SEED_DEMO_DATA'];
        delete env['JWT_GENERATE_SIGNING_KEY'];
        if ((PROVINCE_KEYS as readonly string[]).includes(name)) env['WEBHOOK_SECRET_KEYS'] = `launch:${webhookKey}`;
        if (name === 'gateway') for (const owner of OWNERS) env[`${owner.toUpperCase()}_READY_URL`] = new URL('/health/ready', adminUrls[owner]).href;
        adminUrls[name] = url(adminPort);
        specs.set(name, { ...spec, env, healthUrl: adminUrls[name] });
        const service = spawnService(name, spec.entry, env, logDir, options.runtime, options.nodeFlags);
        services[services.indexOf(serviceNamed(name))] = service;
        await service.waitUntil(spec.kind, adminUrls[name]);
      }
    }

    return {
      gatewayUrl,
      subgraphUrls,
      postgresAdminUrl: clusters.get('platform')!.adminUrl,
      databaseUrls,
      gatewaySecret,
      signingKeyFile,
      services,
      logDir,
      stop,
      stopService: (name) => serviceNamed(name).stop(),
      startService: async (name) => {
        const old = serviceNamed(name);
        if (old.process.exitCode === null && old.process.signalCode === null) throw new Error(`${name} is still running`);
        const spec = specs.get(name)!;
        const service = spawnService(name, spec.entry, spec.env, logDir, options.runtime, options.nodeFlags);
        services[services.indexOf(old)] = service;
        await service.waitUntil(spec.kind, spec.healthUrl);
      },
      stopPostgres: (owner) => clusters.get(owner)!.stop(),
      startPostgres: (owner) => clusters.get(owner)!.start(),
    };
  } catch (error) {
    await stop();
    throw error;
  }
}

/** An embedded PostgreSQL that can be stopped and started again on the same folder and port. */
interface RestartableCluster {
  readonly adminUrl: string;
  stop(): Promise<void>;
  start(): Promise<void>;
}

/** The cluster holding each owner's database: one shared, or one each (`clusterPerOwner`). */
async function startClusters(options: SystemOptions, dataDir: string, sharedPort: number): Promise<Map<Owner, RestartableCluster>> {
  const clusters = new Map<Owner, RestartableCluster>();
  if (!options.clusterPerOwner) {
    const shared = await restartableCluster(join(dataDir, 'postgres'), sharedPort, options);
    for (const owner of OWNERS) clusters.set(owner, shared);
    return clusters;
  }
  try {
    for (const owner of OWNERS) clusters.set(owner, await restartableCluster(join(dataDir, `postgres-${owner}`), await freePort(), options));
  } catch (error) {
    for (const cluster of clusters.values()) await cluster.stop();
    throw error;
  }
  return clusters;
}

async function restartableCluster(dataDir: string, port: number, options: SystemOptions): Promise<RestartableCluster> {
  const start = () => startEmbeddedPostgres({ dataDir, port, logger: options.logger, ...(options.postgresSettings ? { settings: options.postgresSettings } : {}) });
  let running: EmbeddedPostgres | undefined = await start();
  const { adminUrl } = running;
  return {
    adminUrl,
    stop: async () => {
      await running?.stop();
      running = undefined;
    },
    start: async () => {
      // The folder keeps the cluster and its admin password, so this is the same server again.
      running ??= await start();
    },
  };
}
