import { startGateway, type RunningGateway } from '../../gateway/src';
import type { RunningService } from '../../shared/src';
import { startPlatformSubgraph } from '../../subgraphs/platform/src';
import { startProvinceSubgraph } from '../../subgraphs/province/src';
import { FileSystemConfigs, fileLogger } from './fileSystem';
import { testSystem } from './system';

type Province = 'sichuan' | 'chongqing';

/**
 * Services of a test file's own beside the file's system, for settings the
 * shared ones must not have (production mode, an admin port, an allow-list):
 * configured as fileSystem.ts configures the file's services, plus `env`, in
 * this process on real ports, over the file's own databases. Each logs to
 * `<logDir>/<name>.log`; the file closes what it started.
 */
export function startOwnProvince(name: string, province: Province, env: Record<string, string>): Promise<RunningService> {
  const system = testSystem();
  const jwksUrl = new URL('/.well-known/jwks.json', system.subgraphUrls.platform).toString();
  return startProvinceSubgraph(configs().province(province, jwksUrl, system.gatewayUrl, env), fileLogger(system.logDir, name));
}

/** A platform subgraph of the file's own (e.g. with identity providers configured), over the file's platform database; see startOwnProvince. */
export function startOwnPlatform(name: string, env: Record<string, string>): Promise<RunningService> {
  return startPlatformSubgraph(configs().platform(env), fileLogger(testSystem().logDir, name));
}

/** A gateway of the file's own in front of `subgraphUrls` (default: the file's subgraphs); see startOwnProvince. */
export function startOwnGateway(name: string, env: Record<string, string>, subgraphUrls: Partial<Record<'platform' | Province, string>> = {}): Promise<RunningGateway> {
  const system = testSystem();
  const jwksUrl = new URL('/.well-known/jwks.json', system.subgraphUrls.platform).toString();
  return startGateway(configs().gateway('0', jwksUrl, { ...system.subgraphUrls, ...subgraphUrls }, env), fileLogger(system.logDir, name));
}

/**
 * A production gateway of the file's own (admin port, `NODE_ENV=production`, plus `env`) in front of
 * `sichuan`, a production subgraph of the file's own, and the file's other subgraphs, which run in
 * development mode and so answer readiness beside their GraphQL URL.
 */
export function startOwnProductionGateway(name: string, sichuan: RunningService, env: Record<string, string> = {}): Promise<RunningGateway> {
  const { subgraphUrls } = testSystem();
  return startOwnGateway(name, {
    NODE_ENV: 'production',
    ADMIN_PORT: '0',
    PLATFORM_READY_URL: new URL('/health/ready', subgraphUrls.platform).href,
    SICHUAN_READY_URL: `${sichuan.adminUrl}/health/ready`,
    CHONGQING_READY_URL: new URL('/health/ready', subgraphUrls.chongqing).href,
    ...env,
  }, { sichuan: sichuan.url });
}

const configs = () => new FileSystemConfigs(testSystem(), testSystem().databaseUrls);
