import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { BlockList } from 'node:net';
import { parse } from 'yaml';
import { z } from 'zod';
import { clientAddressResolver, env, parseEnv } from '../../shared/src';
import { loadGatewayConfig } from '../../gateway/src';
import { loadPlatformConfig } from '../../subgraphs/platform/src';
import { loadProvinceConfig } from '../../subgraphs/province/src';
import { SERVICE_NODE_OPTIONS } from '../../scripts/system';

/**
 * Docker cannot run where the tests run, so docker-compose.yml and the
 * Dockerfile are checked by reading them: every service can start, waits for
 * what it needs, and gets the variables it refuses to start without.
 */
const ROOT = join(__dirname, '..', '..');

interface ComposeService {
  image?: string;
  build?: unknown;
  command?: string[];
  environment?: Record<string, string>;
  env_file?: string | string[];
  profiles?: string[];
  depends_on?: Record<string, { condition?: string }> | string[];
  healthcheck?: { test?: unknown };
  ports?: string[];
  expose?: string[];
  volumes?: (string | { source?: string })[];
  networks?: Record<string, { ipv4_address?: string } | null>;
}

interface ComposeFile {
  services: Record<string, ComposeService>;
  networks?: Record<string, { ipam?: { config?: { subnet?: string; ip_range?: string }[] } }>;
  volumes?: Record<string, unknown>;
  secrets?: Record<string, { file?: string }>;
}

// `merge: true`: the file shares blocks through YAML merge keys (`<<: *service`), as Compose reads them.
const compose = parse(readFileSync(join(ROOT, 'docker-compose.yml'), 'utf8'), { merge: true }) as ComposeFile;
const services = Object.entries(compose.services);

type Kind = 'gateway' | 'platform' | 'province' | 'database' | 'redis' | 'proxy' | 'tracing' | 'monitoring';
function kindOf(service: ComposeService): Kind {
  const entry = service.command?.[0] ?? '';
  if (entry === 'dist/gateway/src/main.js') return 'gateway';
  if (entry === 'dist/subgraphs/platform/src/main.js') return 'platform';
  if (entry === 'dist/subgraphs/province/src/main.js') return 'province';
  if (service.image?.startsWith('postgres')) return 'database';
  if (service.image?.startsWith('redis')) return 'redis';
  if (service.image?.startsWith('nginx')) return 'proxy';
  if (service.image?.startsWith('jaegertracing/')) return 'tracing';
  if (service.image?.startsWith('prom/prometheus')) return 'monitoring';
  throw new Error(`unknown service kind: ${JSON.stringify(service)}`);
}
const ofKind = (kind: Kind) => services.filter(([, service]) => kindOf(service) === kind);
/** The services built from this repository: the gateways and the subgraphs. */
const ourServices = () => [...ofKind('gateway'), ...ofKind('platform'), ...ofKind('province')];
const envFiles = (service: ComposeService) => (service.env_file === undefined ? [] : [service.env_file].flat());

/** Variables the service gets from its `environment` and from the `.example` of each env file. */
function variablesOf(service: ComposeService): Record<string, string> {
  const fromFiles = envFiles(service).flatMap((file) =>
    readFileSync(join(ROOT, `${file}.example`), 'utf8').split('\n').filter((line) => /^[A-Z_][A-Z0-9_]*=/.test(line)).map((line) => {
      const at = line.indexOf('=');
      return [line.slice(0, at), line.slice(at + 1)] as const;
    }),
  );
  return { ...Object.fromEntries(fromFiles), ...service.environment };
}

describe('docker-compose.yml', () => {
  it('has every kind of service, with two gateway replicas', () => {
    expect(ofKind('gateway').map(([name]) => name).sort()).toEqual(['gateway-1', 'gateway-2']);
    expect(ofKind('platform')).toHaveLength(1);
    expect(ofKind('province')).toHaveLength(2);
    expect(ofKind('database')).toHaveLength(3);
    expect(ofKind('redis')).toHaveLength(1);
    expect(ofKind('proxy')).toHaveLength(1);
  });

  it.each(services)('%s has an image or a build, and a health check', (_name, service) => {
    expect(service.image ?? service.build).toBeDefined();
    expect(service.healthcheck?.test).toEqual(expect.arrayContaining([expect.any(String)]));
  });

  it.each(services)('%s depends only on existing services with health checks, waiting until they are healthy', (name, service) => {
    const dependsOn = service.depends_on ?? {};
    expect(Array.isArray(dependsOn)).toBe(false);
    for (const [dependency, { condition }] of Object.entries(dependsOn as Record<string, { condition?: string }>)) {
      expect(dependency).not.toBe(name);
      expect(compose.services[dependency]).toBeDefined();
      expect(compose.services[dependency]!.healthcheck?.test).toBeDefined();
      expect(condition).toBe('service_healthy');
    }
  });

  it('makes each service wait for what it needs at start', () => {
    const needs = (name: string) => Object.keys((compose.services[name]!.depends_on ?? {}) as Record<string, unknown>).sort();
    expect(needs('platform')).toEqual(['platform-db']);
    for (const [name, service] of ofKind('province')) expect(needs(name)).toEqual([`${service.environment!['PROVINCE']}-db`, 'platform'].sort());
    for (const [name] of ofKind('gateway')) expect(needs(name)).toEqual(['chongqing', 'platform', 'redis', 'sichuan']);
    expect(needs('proxy')).toEqual(['gateway-1', 'gateway-2']);
  });

  it('publishes only the proxy; every service listens on the ports its PORT and ADMIN_PORT name', () => {
    for (const [name, service] of services) {
      if (kindOf(service) === 'proxy') expect(service.ports).toEqual(['4000:80']);
      // The tracing and metrics UIs are for whoever runs the stack, on that machine only.
      else if (kindOf(service) === 'tracing') expect(service.ports).toEqual(['127.0.0.1:16686:16686']);
      else if (kindOf(service) === 'monitoring') expect(service.ports).toEqual(['127.0.0.1:9090:9090']);
      else expect({ name, ports: service.ports }).toEqual({ name, ports: undefined });
    }
    for (const [, service] of ourServices()) expect(service.expose).toEqual([service.environment!['PORT'], service.environment!['ADMIN_PORT']]);
  });

  it('serves readiness and metrics on each service\'s admin port only, where health checks, gateways and Prometheus ask', () => {
    const healthCheck = (service: ComposeService) => JSON.stringify(service.healthcheck!.test);
    for (const [name, service] of ourServices()) {
      const { PORT, ADMIN_PORT } = service.environment!;
      expect({ name, adminPort: ADMIN_PORT && ADMIN_PORT !== PORT }).toEqual({ name, adminPort: true });
      // A gateway stays in service with one province down, so its check asks whether it is live, on its public port.
      if (kindOf(service) === 'gateway') expect(healthCheck(service)).toContain(`http://127.0.0.1:${PORT}/health/live`);
      else expect(healthCheck(service)).toContain("'http://127.0.0.1:'+process.env.ADMIN_PORT+'/health/ready'");
    }
    const subgraphs = [...ofKind('platform'), ...ofKind('province')];
    for (const [, gateway] of ofKind('gateway')) {
      for (const [name, subgraph] of subgraphs) {
        expect(variablesOf(gateway)[`${name.toUpperCase()}_READY_URL`]).toBe(`http://${name}:${subgraph.environment!['ADMIN_PORT']}/health/ready`);
      }
    }
    const prometheus = parse(readFileSync(join(ROOT, 'deploy', 'prometheus.yml'), 'utf8')) as { scrape_configs: { metrics_path?: string; static_configs: { targets: string[] }[] }[] };
    const targets = prometheus.scrape_configs.flatMap((job) => job.static_configs.flatMap((config) => config.targets));
    expect(targets.sort()).toEqual(ourServices().map(([name, service]) => `${name}:${service.environment!['ADMIN_PORT']}`).sort());
    expect(compose.services['prometheus']!.volumes).toContain('./deploy/prometheus.yml:/etc/prometheus/prometheus.yml:ro');
    // nginx proxies the gateways' public port and names no admin path.
    expect(readFileSync(join(ROOT, 'deploy', 'nginx.conf'), 'utf8')).not.toMatch(/location[^{]*\/(metrics|health\/ready)/);
  });

  it('gives each service the variables it cannot start without', () => {
    for (const [name, service] of [...ofKind('platform'), ...ofKind('province')]) {
      // The database URL holds a password: only from the service's env file, never inline.
      expect({ name, inline: service.environment!['DATABASE_URL'] }).toEqual({ name, inline: undefined });
      expect(envFiles(service)).toEqual([`deploy/${name}.env`]);
      expect(variablesOf(service)['DATABASE_URL']).toMatch(new RegExp(`^postgres://\\w+:[^@]+@${name}-db:5432/`));
      expect(variablesOf(service)['JWKS_URL']).toBe('http://platform:4001/.well-known/jwks.json');
    }
    for (const [name, service] of ofKind('province')) expect(service.environment!['PROVINCE']).toBe(name);
    for (const [, service] of ofKind('gateway')) {
      const vars = variablesOf(service);
      expect(vars).toMatchObject({
        PLATFORM_URL: 'http://platform:4001/graphql',
        SICHUAN_URL: 'http://sichuan:4002/graphql',
        CHONGQING_URL: 'http://chongqing:4003/graphql',
        JWKS_URL: 'http://platform:4001/.well-known/jwks.json',
      });
    }
    // The gateways show their secret to the subgraphs, which answer _entities only to them: one value, never inline.
    const gatewaySecrets = [...ofKind('gateway'), ...ofKind('platform'), ...ofKind('province')].map(([name, service]) => {
      expect({ name, inline: service.environment?.['GATEWAY_SECRET'] }).toEqual({ name, inline: undefined });
      return variablesOf(service)['GATEWAY_SECRET'];
    });
    expect(new Set(gatewaySecrets).size).toBe(1);
    expect(gatewaySecrets[0]!.length).toBeGreaterThanOrEqual(16);
    for (const [name, service] of ofKind('database')) {
      expect(envFiles(service)).toEqual([`deploy/${name}.env`]);
      expect(Object.keys(variablesOf(service))).toEqual(expect.arrayContaining(['POSTGRES_DB', 'POSTGRES_USER', 'POSTGRES_PASSWORD']));
    }
  });

  it('believes forwarded addresses only from the proxy in front, at addresses no other container can take', () => {
    const [{ subnet, ip_range: dynamic } = {}] = compose.networks?.['default']?.ipam?.config ?? [];
    const within = (cidr: string | undefined, address: string) => {
      const [base, prefix] = (cidr ?? '').split('/');
      const block = new BlockList();
      block.addSubnet(base!, Number(prefix), 'ipv4');
      return block.check(address, 'ipv4');
    };
    const fixedAddressOf = (name: string) => compose.services[name]!.networks?.['default']?.ipv4_address ?? '';
    const proxy = fixedAddressOf('proxy');
    const gateways = ofKind('gateway').map(([name]) => fixedAddressOf(name));
    for (const address of [proxy, ...gateways]) expect({ address, inSubnet: within(subnet, address), handedOut: within(dynamic, address) }).toEqual({ address, inSubnet: true, handedOut: false });
    expect(new Set([proxy, ...gateways]).size).toBe(1 + gateways.length);

    const trusting = (service: ComposeService) => clientAddressResolver(parseEnv(z.object({ TRUSTED_PROXIES: env.cidrList() }), variablesOf(service)).TRUSTED_PROXIES);
    const from = (peer: string) => ({ headers: { 'x-forwarded-for': '203.0.113.9' }, socket: { remoteAddress: peer } });
    const anotherContainer = '172.28.0.130';
    // nginx overwrites x-forwarded-for before the gateways, which believe it only from nginx.
    for (const [name, service] of ofKind('gateway')) {
      expect({ name, fromProxy: trusting(service)(from(proxy)), fromOther: trusting(service)(from(anotherContainer)) }).toEqual({ name, fromProxy: '203.0.113.9', fromOther: anotherContainer });
    }
    // The gateways write it for the platform, which believes it only from them.
    const platform = trusting(compose.services['platform']!);
    for (const gateway of gateways) expect(platform(from(gateway))).toBe('203.0.113.9');
    expect(platform(from(proxy))).toBe(proxy);
    expect(platform(from(anotherContainer))).toBe(anotherContainer);
    // The switches that believed anyone are gone: the services would refuse to start with them.
    for (const [name, service] of services) {
      const vars = variablesOf(service);
      expect({ name, retired: [vars['TRUST_PROXY'], vars['TRUST_FORWARDED_FOR']] }).toEqual({ name, retired: [undefined, undefined] });
    }
    const nginx = readFileSync(join(ROOT, 'deploy', 'nginx.conf'), 'utf8');
    expect(nginx).toMatch(/proxy_set_header\s+X-Forwarded-For\s+\$remote_addr;/);
    expect(nginx).not.toMatch(/\$proxy_add_x_forwarded_for/);
  });

  const loaders = { gateway: loadGatewayConfig, platform: loadPlatformConfig, province: loadProvinceConfig } as const;
  /** The examples' variables as an operator fills them in: every `change-me` placeholder replaced by a real secret. */
  const filledIn = (service: ComposeService) =>
    Object.fromEntries(Object.entries(variablesOf(service)).map(([name, value]) => [name, value.replace(/change-me[\w-]*/g, 'kS9v2q0Zr7uXcW4mYp1TqLbN')]));

  it("passes each service's own configuration check, production rules included, once the examples are filled in", () => {
    for (const [name, service] of ourServices()) {
      const kind = kindOf(service) as keyof typeof loaders;
      const config = loaders[kind](filledIn(service));
      expect({ name, production: config.production, adminPort: config.adminPort }).toEqual({ name, production: true, adminPort: Number(service.environment!['ADMIN_PORT']) });
    }
  });

  it("refuses to start any service on the examples' placeholder secrets, naming the variables", () => {
    for (const [name, service] of ourServices()) {
      const kind = kindOf(service) as keyof typeof loaders;
      const placeholders = Object.entries(variablesOf(service)).filter(([, value]) => value.includes('change-me')).map(([variable]) => variable).sort();
      expect({ name, placeholders: placeholders.length > 0 }).toEqual({ name, placeholders: true });
      let refusal = '';
      try {
        loaders[kind](variablesOf(service));
      } catch (error) {
        refusal = (error as Error).message;
      }
      expect({ name, refused: refusal.split('\n').map((line) => line.split(':')[0]).sort() }).toEqual({ name, refused: placeholders });
    }
  });

  it('runs the tracing backend only under the `tracing` profile, and no service waits for it', () => {
    const tracing = ofKind('tracing');
    expect(tracing.map(([, service]) => ({ profiles: service.profiles, expose: service.expose }))).toEqual([{ profiles: ['tracing'], expose: ['4318'] }]);
    for (const [, service] of services) expect(Object.keys((service.depends_on ?? {}) as Record<string, unknown>)).not.toContain(tracing[0]![0]);
  });

  it('runs Prometheus only under the `monitoring` profile, and no service waits for it', () => {
    expect(ofKind('monitoring').map(([name, service]) => ({ name, profiles: service.profiles }))).toEqual([{ name: 'prometheus', profiles: ['monitoring'] }]);
    for (const [, service] of services) expect(Object.keys((service.depends_on ?? {}) as Record<string, unknown>)).not.toContain('prometheus');
  });

  it('has a committed .example next to every env file', () => {
    const files = services.flatMap(([, service]) => envFiles(service));
    expect(files.length).toBeGreaterThan(0);
    for (const file of files) expect({ file, example: existsSync(join(ROOT, `${file}.example`)) }).toEqual({ file, example: true });
  });

  it('declares every named volume a service mounts, and each bind-mounted file exists', () => {
    const declared = Object.keys(compose.volumes ?? {});
    for (const [, service] of services) {
      for (const volume of service.volumes ?? []) {
        const source = typeof volume === 'string' ? volume.split(':')[0]! : volume.source!;
        if (source.startsWith('.') || source.startsWith('/')) expect({ source, exists: existsSync(join(ROOT, source)) }).toEqual({ source, exists: true });
        else expect(declared).toContain(source);
      }
    }
    for (const [name] of [...ofKind('database'), ...ofKind('redis')]) expect(compose.services[name]!.volumes?.length).toBeGreaterThan(0);
  });

  it('has an nginx config naming every gateway replica', () => {
    const nginx = readFileSync(join(ROOT, 'deploy', 'nginx.conf'), 'utf8');
    const upstream = /upstream\s+gateways\s*\{([^}]*)\}/.exec(nginx)?.[1] ?? '';
    const servers = [...upstream.matchAll(/server\s+([\w.-]+):(\d+)/g)].map(([, host, port]) => `${host}:${port}`);
    expect(servers.sort()).toEqual(ofKind('gateway').map(([name]) => `${name}:4000`).sort());
    expect(nginx).toMatch(/proxy_pass\s+http:\/\/gateways;/);
    expect(compose.services['proxy']!.volumes).toContain('./deploy/nginx.conf:/etc/nginx/nginx.conf:ro');
  });
});

describe('Dockerfile', () => {
  const dockerfile = readFileSync(join(ROOT, 'Dockerfile'), 'utf8');
  const instructions = dockerfile.split('\n').map((line) => line.trim()).filter((line) => line && !line.startsWith('#'));
  const stages = instructions.filter((line) => /^FROM\s/i.test(line));
  const finalStage = instructions.slice(instructions.lastIndexOf(stages[stages.length - 1]!));

  it('builds in several stages, the last one copying installed dependencies from an earlier one', () => {
    expect(stages.length).toBeGreaterThanOrEqual(2);
    expect(finalStage.some((line) => /^COPY\s+--from=/i.test(line))).toBe(true);
  });

  it('installs production dependencies only, from the lock file', () => {
    expect(instructions.some((line) => /^RUN\s+npm ci\b.*--omit=dev/.test(line))).toBe(true);
  });

  it('has the patches npm ci applies after installing (patches/, the postinstall script) wherever it installs', () => {
    const installs = instructions.flatMap((line, index) => (/^RUN\s+npm ci\b/.test(line) ? [index] : []));
    expect(installs.length).toBeGreaterThan(0);
    for (const install of installs) {
      const stage = instructions.slice(0, install).findLastIndex((line) => /^FROM\s/i.test(line));
      expect(instructions.slice(stage, install)).toContain('COPY patches ./patches');
    }
  });

  it('runs as a user other than root', () => {
    const users = finalStage.filter((line) => /^USER\s/i.test(line));
    expect(users.length).toBeGreaterThan(0);
    expect(users[users.length - 1]!.split(/\s+/)[1]).not.toMatch(/^(root|0)(:|$)/);
  });

  it('runs the compiled JavaScript of an earlier stage, built by npm run build', () => {
    expect(instructions.some((line) => /^RUN\s+npm run build\b/.test(line))).toBe(true);
    expect(finalStage).toContain('COPY --from=build /app/dist ./dist');
    // With the same Node options as the launcher gives every service.
    const entrypoint = finalStage.find((line) => line.startsWith('ENTRYPOINT '));
    expect(JSON.parse(entrypoint!.slice('ENTRYPOINT '.length))).toEqual(['node', ...SERVICE_NODE_OPTIONS]);
    expect(finalStage.find((line) => line.startsWith('CMD '))).toBe('CMD ["dist/gateway/src/main.js"]');
  });

  it('ships the dashboard the gateway bundles at start: the build copies its source into dist/', () => {
    expect(readFileSync(join(ROOT, 'scripts', 'copyBuildAssets.ts'), 'utf8')).toMatch(/cpSync\(join\(ROOT, 'dashboard'\), join\(OUT, 'dashboard'\)/);
  });

  it("ships the operators' commands, which import only what the image holds", () => {
    const build = JSON.parse(readFileSync(join(ROOT, 'tsconfig.build.json'), 'utf8')) as { include: string[] };
    expect(build.include).toEqual(expect.arrayContaining(['shared', 'subgraphs', 'scripts']));
    const imports = readdirSync(join(ROOT, 'scripts', 'admin')).filter((file) => file.endsWith('.ts'))
      .flatMap((file) => [...readFileSync(join(ROOT, 'scripts', 'admin', file), 'utf8').matchAll(/from '(\.[^']+)'/g)].map((match) => match[1]!));
    const copied = ['./', '../../shared/', '../../subgraphs/'];
    expect(imports.filter((path) => !copied.some((folder) => path.startsWith(folder)))).toEqual([]);
  });
});
