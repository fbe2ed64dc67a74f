/**
 * `npm start`: the whole platform on this machine, on an embedded PostgreSQL.
 * Ctrl-C stops every service and the database.
 */
import { z } from 'zod';
import { PROVINCE_KEYS, PROVINCES, createLogger, env, parseEnv, startDemoOidcProvider, type ProvinceKey } from '../shared/src';
import { DEMO_ACCOUNTS, DEMO_DASHBOARD_CLIENT, DEMO_IDENTITY_PROVIDER, DEMO_PARTNER_CLIENT, DEMO_PASSWORD } from '../subgraphs/platform/src';
import { launchSystem } from './system/launchSystem';

const portVariableOf = (key: ProvinceKey) => `${key.toUpperCase()}_PORT`;

async function main() {
  const vars = parseEnv(z.object({
    DATA_DIR: z.string().default('.data'),
    GATEWAY_PORT: env.port(4000),
    PLATFORM_PORT: env.port(4001),
    EMBEDDED_PG_PORT: env.port(5433),
    DEMO_IDP_PORT: env.port(4010),
    LOG_LEVEL: env.logLevel(),
  }));
  // SICHUAN_PORT, CHONGQING_PORT…: each province's own default port from the province table.
  const provincePorts = parseEnv(z.object(Object.fromEntries(PROVINCE_KEYS.map((key) => [portVariableOf(key), env.port(PROVINCES[key].defaultPort)]))));
  const logger = createLogger('start', 'warn');
  const startedAt = Date.now();
  process.stdout.write('Starting Shuangcheng: embedded PostgreSQL, platform, Sichuan and Chongqing subgraphs, gateway, demo identity provider…\n');
  // Provider sign-in to try: a real OpenID Provider in this process, development only, that sends the browser back
  // to the dashboard's address (the address to pass to completeExternalSignIn).
  const signedInAt = `http://localhost:${vars.GATEWAY_PORT}/dashboard`;
  const idp = await startDemoOidcProvider({
    port: vars.DEMO_IDP_PORT,
    clients: [{ clientId: DEMO_IDENTITY_PROVIDER.clientId, clientSecret: DEMO_IDENTITY_PROVIDER.clientSecret, redirectUris: [signedInAt] }],
    accounts: DEMO_IDENTITY_PROVIDER.accounts,
  });
  const system = await launchSystem({
    platformEnv: {
      OIDC_PROVIDERS: JSON.stringify([{
        id: DEMO_IDENTITY_PROVIDER.id,
        name: DEMO_IDENTITY_PROVIDER.name,
        issuer: idp.issuer,
        clientId: DEMO_IDENTITY_PROVIDER.clientId,
        clientSecret: DEMO_IDENTITY_PROVIDER.clientSecret,
        claims: { homeProvince: 'province', institution: 'org', affiliation: 'affiliation' },
        attributesVerified: false,
      }]),
      OIDC_REDIRECT_URIS: signedInAt,
    },
    dataDir: vars.DATA_DIR,
    logLevel: vars.LOG_LEVEL,
    logger,
    ports: {
      gateway: vars.GATEWAY_PORT,
      platform: vars.PLATFORM_PORT,
      ...(Object.fromEntries(PROVINCE_KEYS.map((key) => [key, provincePorts[portVariableOf(key)]!])) as Record<ProvinceKey, number>),
      postgres: vars.EMBEDDED_PG_PORT,
    },
  });

  const width = Math.max(...DEMO_ACCOUNTS.map((a) => a.username.length));
  process.stdout.write([
    '',
    `Gateway ready at ${system.gatewayUrl}  (started in ${((Date.now() - startedAt) / 1000).toFixed(1)} s)`,
    `Dashboard at     ${new URL('/dashboard', system.gatewayUrl).href}  (sign in with a demo login below)`,
    '',
    ...Object.entries(system.subgraphUrls).map(([name, url], index) => `${index === 0 ? 'Subgraphs:' : '          '} ${name} ${url}`),
    `Logs:      ${system.logDir}/<service>.log`,
    '',
    `Demo logins (password "${DEMO_PASSWORD}"):`,
    ...DEMO_ACCOUNTS.map((a) => `  ${a.username.padEnd(width)}  ${a.description}`),
    `Demo partner client: ${DEMO_PARTNER_CLIENT.clientId} / ${DEMO_PARTNER_CLIENT.clientSecret} (scopes ${DEMO_PARTNER_CLIENT.scopes.join(', ')})`,
    `Read-only dashboard client: ${DEMO_DASHBOARD_CLIENT.clientId} / ${DEMO_DASHBOARD_CLIENT.clientSecret} (scope ${DEMO_DASHBOARD_CLIENT.scopes.join(', ')})`,
    `Demo identity provider "${DEMO_IDENTITY_PROVIDER.id}" at ${idp.issuer} (development only; any password): ${Object.keys(DEMO_IDENTITY_PROVIDER.accounts).join(', ')}`,
    `  mutation { beginExternalSignIn(provider: "${DEMO_IDENTITY_PROVIDER.id}", redirectUri: "${signedInAt}") { authorizationUrl } }`,
    '  open authorizationUrl, sign in, then pass the address you land on as completeExternalSignIn(provider:, callbackUrl:)',
    '',
    'Try:  mutation { login(username: "li.wei", password: "shuangcheng-demo") { token } }',
    'then: { sichuan { instruments(first: 5) { totalCount edges { node { name } } } } chongqing { labs(jointOnly: true) { name } } }',
    '',
    'Press Ctrl-C to stop.',
    '',
  ].join('\n'));

  for (const service of system.services) {
    service.process.once('exit', (code, signal) => {
      if (!stopping) process.stderr.write(`\n${service.name} stopped unexpectedly (${signal ?? `code ${code}`}); the other services keep running. See ${service.logFile}\n`);
    });
  }
  let stopping = false;
  const stop = () => {
    if (stopping) return;
    stopping = true;
    process.stdout.write('\nStopping…\n');
    system.stop().then(idp.close).then(
      () => process.exit(0),
      (error: unknown) => {
        process.stderr.write(`error while stopping: ${String(error)}\n`);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((error: unknown) => {
  process.stderr.write(`npm start failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
