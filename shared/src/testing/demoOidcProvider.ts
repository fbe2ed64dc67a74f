import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A relying party the provider knows: the platform, as configured in its `OIDC_PROVIDERS`. */
export interface DemoOidcClient {
  readonly clientId: string;
  readonly clientSecret: string;
  readonly redirectUris: readonly string[];
}

export interface DemoOidcProviderOptions {
  readonly clients: readonly DemoOidcClient[];
  /** The people who can sign in, by login name (which is also their `sub`), with the claims the provider asserts. */
  readonly accounts: Readonly<Record<string, Readonly<Record<string, unknown>>>>;
  readonly host?: string;
  /** 0 (default) for a free port. */
  readonly port?: number;
  /**
   * Where the profile claims go: `idToken` (default) puts them in the ID token too; `userinfo` only at the userinfo
   * endpoint, the ID token carrying `sub` alone, as many providers do.
   */
  readonly profileClaimsIn?: 'idToken' | 'userinfo';
}

export interface DemoOidcProvider {
  /** `http://<host>:<port>`, the issuer identifier and discovery base. */
  readonly issuer: string;
  /** The provider's signing key (PEM) and its `kid`: tests sign tokens as the provider would, to send what it would not. */
  readonly signingKeyPem: string;
  readonly kid: string;
  /**
   * Does what a person's browser does with an authorization URL: follows it, signs in as `login` on the provider's
   * page, and returns the address the provider sends the browser back to (the redirect URI with code, state and iss).
   */
  signIn(authorizationUrl: string, login: string): Promise<string>;
  /**
   * Until cleared (null), passes every token response's ID token through `filter` before it leaves: a test makes
   * the provider misbehave (a tampered, re-signed or replayed token, or none: null) exactly where a relying party must catch it.
   */
  setIdTokenFilter(filter: ((idToken: string) => string | null) | null): void;
  /** The same for the userinfo endpoint's JSON answer: a provider whose userinfo speaks of someone else. */
  setUserinfoFilter(filter: ((claims: Record<string, unknown>) => Record<string, unknown>) | null): void;
  /** How many userinfo requests the provider has answered. */
  readonly userinfoRequests: () => number;
  close(): Promise<void>;
}

/** Custom claims the provider asserts beside the standard ones (ID token and userinfo), for the platform's claim mapping. */
const CUSTOM_CLAIMS = ['province', 'org', 'affiliation'];

/**
 * A real OpenID Provider (the certified `oidc-provider` package) on a free port, for tests and for trying provider
 * sign-in in development: authorization code with PKCE required (S256), RS256 ID tokens from its own key, consent
 * granted without asking, and its development sign-in page, which accepts any password for a listed login.
 * Never for production: it keeps everything in memory and trusts whoever names a login.
 */
export async function startDemoOidcProvider(options: DemoOidcProviderOptions): Promise<DemoOidcProvider> {
  // An ES module; loaded when needed, so that only code that starts a provider pays for it.
  const { default: Provider } = (await import('oidc-provider')) as unknown as { default: new (issuer: string, configuration: object) => OidcProviderInstance };
  const server = createServer();
  server.listen(options.port ?? 0, options.host ?? '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  const issuer = `http://${options.host ?? '127.0.0.1'}:${port}`;
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const kid = `demo-${randomBytes(4).toString('hex')}`;
  const provider = new Provider(issuer, {
    clients: options.clients.map((client) => ({
      client_id: client.clientId,
      client_secret: client.clientSecret,
      redirect_uris: [...client.redirectUris],
      response_types: ['code'],
      grant_types: ['authorization_code'],
    })),
    jwks: { keys: [{ ...privateKey.export({ format: 'jwk' }), kid, alg: 'RS256', use: 'sig' }] },
    claims: { openid: ['sub'], profile: ['name', ...CUSTOM_CLAIMS], email: ['email', 'email_verified'] },
    // By default the mapped claims are in the ID token itself; conforming, only at the userinfo endpoint.
    conformIdTokenClaims: options.profileClaimsIn === 'userinfo',
    pkce: { required: () => true },
    cookies: { keys: [randomBytes(32).toString('hex')] },
    features: { devInteractions: { enabled: true } },
    findAccount: (_ctx: unknown, id: string) => {
      const claims = options.accounts[id];
      return claims ? { accountId: id, claims: () => ({ sub: id, ...claims }) } : undefined;
    },
    // Consent without a page: the demo's person always agrees.
    loadExistingGrant: async (ctx: GrantContext) => {
      const grant = new ctx.oidc.provider.Grant({ clientId: ctx.oidc.client.clientId, accountId: ctx.oidc.session.accountId });
      grant.addOIDCScope(ctx.oidc.params.scope);
      await grant.save();
      return grant;
    },
  });
  let idTokenFilter: ((idToken: string) => string | null) | null = null;
  let userinfoFilter: ((claims: Record<string, unknown>) => Record<string, unknown>) | null = null;
  let userinfoRequests = 0;
  provider.use(async (ctx: TokenContext, next: () => Promise<void>) => {
    await next();
    if (idTokenFilter && ctx.path === '/token' && typeof ctx.body?.id_token === 'string') {
      // null: the answer leaves without an ID token.
      const { id_token: idToken, ...rest } = ctx.body;
      const filtered = idTokenFilter(idToken as string);
      ctx.body = filtered === null ? rest : { ...rest, id_token: filtered };
    }
    if (ctx.path === '/me') {
      userinfoRequests += 1;
      if (userinfoFilter && ctx.body && typeof ctx.body === 'object') ctx.body = userinfoFilter({ ...ctx.body });
    }
  });
  server.on('request', provider.callback());
  return {
    issuer,
    signingKeyPem: privateKey.export({ format: 'pem', type: 'pkcs8' }).toString(),
    kid,
    signIn: (authorizationUrl, login) => browse(authorizationUrl, login, issuer),
    setIdTokenFilter: (filter) => {
      idTokenFilter = filter;
    },
    setUserinfoFilter: (filter) => {
      userinfoFilter = filter;
    },
    userinfoRequests: () => userinfoRequests,
    close: () => closeServer(server),
  };
}

interface OidcProviderInstance {
  callback(): (req: unknown, res: unknown) => void;
  /** Koa middleware around every endpoint. */
  use(middleware: (ctx: TokenContext, next: () => Promise<void>) => Promise<void>): void;
}

interface TokenContext {
  path: string;
  body?: { id_token?: unknown } & Record<string, unknown>;
}

interface GrantContext {
  oidc: {
    provider: { Grant: new (init: { clientId: string; accountId: string }) => { addOIDCScope(scope: string): void; save(): Promise<string> } };
    client: { clientId: string };
    session: { accountId: string };
    params: { scope: string };
  };
}

const MAX_REDIRECTS = 10;

/** Follows redirects with a cookie jar until one leaves the provider, posting the sign-in form on the way. */
export async function browse(authorizationUrl: string, login: string, issuer: string): Promise<string> {
  const cookies = new Map<string, string>();
  let url = authorizationUrl;
  let form: URLSearchParams | null = null;
  for (let step = 0; step < MAX_REDIRECTS; step += 1) {
    const response = await fetch(url, {
      method: form ? 'POST' : 'GET',
      redirect: 'manual',
      headers: {
        cookie: [...cookies].map(([name, value]) => `${name}=${value}`).join('; '),
        ...(form ? { 'content-type': 'application/x-www-form-urlencoded' } : {}),
      },
      body: form ?? undefined,
    });
    for (const header of response.headers.getSetCookie()) {
      const [pair] = header.split(';');
      const at = pair!.indexOf('=');
      cookies.set(pair!.slice(0, at), pair!.slice(at + 1));
    }
    form = null;
    const location = response.headers.get('location');
    if (location) {
      const next = new URL(location, url).href;
      if (!next.startsWith(`${issuer}/`)) return next;
      url = next;
      continue;
    }
    const page = await response.text();
    const action = /<form[^>]*action="([^"]+)"/.exec(page)?.[1];
    if (response.status !== 200 || !action || !page.includes('name="login"')) {
      throw new Error(`the provider answered ${response.status} at ${url}: ${page.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ').slice(0, 300)}`);
    }
    url = new URL(action, url).href;
    form = new URLSearchParams({ prompt: 'login', login, password: 'any' });
  }
  throw new Error(`the provider redirected more than ${MAX_REDIRECTS} times`);
}

function closeServer(server: Server): Promise<void> {
  server.closeAllConnections();
  return new Promise((resolve) => server.close(() => resolve()));
}
