import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createHmac, createPublicKey, createSign, randomUUID } from 'node:crypto';
import jwt from 'jsonwebtoken';
import { createTokenVerifier, TokenRefusedError, type TokenRefusalReason, type TokenVerifier } from '../createTokenVerifier';
import { DomainError } from '../../errors/DomainError';
import type { AuthConfig } from '../../config/authConfig';
import { testOnlyKey } from '../../testing/testOnlyKeys';

const KID = 'test-key-1';
const ISSUER = 'https://id.test.shuangcheng.example';
const AUDIENCE = 'shuangcheng-test-api';

const { privateKeyPem, publicKeyPem } = testOnlyKey('first');
/** A second key the server does not publish. */
const stranger = testOnlyKey('second');

const jwks = {
  keys: [{ ...createPublicKey(publicKeyPem).export({ format: 'jwk' }), kid: KID, alg: 'RS256', use: 'sig' }],
};

let server: Server;
let jwksRequests = 0;
let verifier: TokenVerifier;
let config: AuthConfig;

beforeAll(async () => {
  server = createServer((req, res) => {
    if (req.method === 'GET' && req.url === '/.well-known/jwks.json') {
      jwksRequests += 1;
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify(jwks));
      return;
    }
    res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  config = { jwksUrl: `http://127.0.0.1:${port}/.well-known/jwks.json`, issuer: ISSUER, audience: AUDIENCE, badTokensPerMinute: 60 };
  verifier = createTokenVerifier(config);
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve())));
});

const CLAIMS = { sub: 'user-1', roles: ['researcher'], province: 'sichuan' };

function sign(
  payload: Record<string, unknown> = CLAIMS,
  options: jwt.SignOptions = {},
  key: string | Buffer = privateKeyPem,
): string {
  return jwt.sign(payload, key, {
    algorithm: 'RS256',
    keyid: KID,
    issuer: ISSUER,
    audience: AUDIENCE,
    // A payload that sets its own exp must not also get expiresIn.
    ...('exp' in payload ? {} : { expiresIn: 300 }),
    ...options,
  });
}

const b64url = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

async function expectUnauthenticated(header: string): Promise<DomainError> {
  const error: unknown = await verifier.verifyAuthorizationHeader(header).then(
    (viewer) => {
      throw new Error(`expected UNAUTHENTICATED, got viewer ${JSON.stringify(viewer)}`);
    },
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(DomainError);
  expect((error as DomainError).code).toBe('UNAUTHENTICATED');
  return error as DomainError;
}

describe('createTokenVerifier', () => {
  it('turns a valid token into a Viewer', async () => {
    const viewer = await verifier.verifyAuthorizationHeader(`Bearer ${sign({ ...CLAIMS, name: 'Li Wei' })}`);
    expect(viewer).toEqual({
      subject: 'user-1',
      kind: 'user',
      province: 'sichuan',
      roles: ['researcher'],
      scopes: [],
      displayName: 'Li Wei',
      institution: null,
      affiliation: null,
      quota: null, delegation: null,
    });
    expect(jwksRequests).toBeGreaterThanOrEqual(1);
  });

  it('marks a partner token as a client with its scopes and no province', async () => {
    const viewer = await verifier.verifyAuthorizationHeader(
      `Bearer ${sign({ sub: 'client-9', roles: ['partner'], scope: 'read:instruments read:labs' })}`,
    );
    expect(viewer).not.toBeNull();
    expect(viewer!.kind).toBe('client');
    expect(viewer!.province).toBeNull();
    expect(viewer!.scopes).toEqual(['read:instruments', 'read:labs']);
  });

  it('returns null when there is no Authorization header', async () => {
    await expect(verifier.verifyAuthorizationHeader(undefined)).resolves.toBeNull();
    await expect(verifier.verifyAuthorizationHeader('')).resolves.toBeNull();
  });

  it('rejects a header that is not "Bearer <jwt>"', async () => {
    const error = await expectUnauthenticated('Basic x');
    expect(error.message).toContain('Bearer <token>');
    await expectUnauthenticated('Bearer not-a-jwt');
    await expectUnauthenticated(sign()); // token without the scheme
  });

  it('rejects an expired token, saying it expired', async () => {
    const now = Math.floor(Date.now() / 1000);
    const error = await expectUnauthenticated(`Bearer ${sign({ ...CLAIMS, iat: now - 600, exp: now - 120 })}`);
    expect(error.message).toMatch(/expired/);
  });

  it('tolerates a little clock skew on expiry', async () => {
    const now = Math.floor(Date.now() / 1000);
    const viewer = await verifier.verifyAuthorizationHeader(`Bearer ${sign({ ...CLAIMS, iat: now - 600, exp: now - 5 })}`);
    expect(viewer?.subject).toBe('user-1');
  });

  it('rejects a token from another issuer', async () => {
    const error = await expectUnauthenticated(`Bearer ${sign(CLAIMS, { issuer: 'https://evil.example' })}`);
    expect(error.message).not.toMatch(/expired/);
  });

  it('rejects a token for another audience', async () => {
    await expectUnauthenticated(`Bearer ${sign(CLAIMS, { audience: 'some-other-api' })}`);
  });

  it('rejects a token whose kid is not in the JWKS', async () => {
    await expectUnauthenticated(`Bearer ${sign(CLAIMS, { keyid: 'unknown-kid' })}`);
  });

  it('rejects a token without a kid', async () => {
    await expectUnauthenticated(`Bearer ${jwt.sign(CLAIMS, privateKeyPem, { algorithm: 'RS256', issuer: ISSUER, audience: AUDIENCE, expiresIn: 300 })}`);
  });

  it('rejects a token signed by another key under the published kid', async () => {
    const foreignPem = stranger.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    await expectUnauthenticated(`Bearer ${sign(CLAIMS, {}, foreignPem)}`);
  });

  it('rejects a token whose payload was tampered with', async () => {
    const [header, payload, signature] = sign().split('.') as [string, string, string];
    // Change one character of the claims (user-1 → user-2), keep the signature.
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Record<string, unknown>;
    const forged = b64url({ ...claims, sub: 'user-2' });
    expect(forged).not.toBe(payload);
    await expectUnauthenticated(`Bearer ${header}.${forged}.${signature}`);

    // And a raw one-character change of the encoded segment.
    const flipped = payload.slice(0, 10) + (payload[10] === 'A' ? 'B' : 'A') + payload.slice(11);
    await expectUnauthenticated(`Bearer ${header}.${flipped}.${signature}`);
  });

  it('rejects an unsigned alg:none token', async () => {
    const now = Math.floor(Date.now() / 1000);
    const token = `${b64url({ alg: 'none', typ: 'JWT', kid: KID })}.${b64url({ ...CLAIMS, iss: ISSUER, aud: AUDIENCE, iat: now, exp: now + 300 })}.`;
    // It is well-formed enough to pass the header check and reach verification.
    expect(jwt.decode(token)).toMatchObject({ sub: 'user-1' });
    await expectUnauthenticated(`Bearer ${token}`);
  });

  it('rejects an HS256 token signed with the public key as the secret', async () => {
    const token = jwt.sign(CLAIMS, publicKeyPem, { algorithm: 'HS256', keyid: KID, issuer: ISSUER, audience: AUDIENCE, expiresIn: 300 });
    const [header, payload, signature] = token.split('.') as [string, string, string];
    expect(JSON.parse(Buffer.from(header, 'base64url').toString('utf8'))).toMatchObject({ alg: 'HS256', kid: KID });
    // The forgery is genuine: the signature is the HMAC keyed with the public PEM, which anyone can fetch.
    expect(signature).toBe(createHmac('sha256', publicKeyPem).update(`${header}.${payload}`).digest('base64url'));
    await expectUnauthenticated(`Bearer ${token}`);
  });

  it('rejects a token without the roles claim', async () => {
    const error = await expectUnauthenticated(`Bearer ${sign({ sub: 'user-1', province: 'sichuan' })}`);
    expect(error.message).toContain('lacks required claims');
  });

  it('rejects a token whose roles contain an unknown role', async () => {
    await expectUnauthenticated(`Bearer ${sign({ ...CLAIMS, roles: ['researcher', 'root'] })}`);
  });

  it('rejects a token whose province is not one of ours', async () => {
    const error = await expectUnauthenticated(`Bearer ${sign({ ...CLAIMS, province: 'beijing' })}`);
    expect(error.message).toContain('lacks required claims');
  });

  it('rejects a token without an expiry, which would otherwise never expire', async () => {
    const token = jwt.sign(CLAIMS, privateKeyPem, { algorithm: 'RS256', keyid: KID, issuer: ISSUER, audience: AUDIENCE });
    expect(jwt.decode(token)).not.toHaveProperty('exp');
    const error = await expectUnauthenticated(`Bearer ${token}`);
    expect(error.message).toContain('lacks required claims');
  });

  it('rejects a token whose exp or nbf is not a number', async () => {
    // jsonwebtoken refuses to sign such payloads, so these are signed by hand, with the real key.
    const signRaw = (claims: Record<string, unknown>) => {
      const input = `${b64url({ alg: 'RS256', typ: 'JWT', kid: KID })}.${b64url({ ...claims, iss: ISSUER, aud: AUDIENCE })}`;
      return `${input}.${createSign('RSA-SHA256').update(input).sign(privateKeyPem).toString('base64url')}`;
    };
    const now = Math.floor(Date.now() / 1000);
    expect(await verifier.verifyAuthorizationHeader(`Bearer ${signRaw({ ...CLAIMS, iat: now, exp: now + 300 })}`)).not.toBeNull();
    await expectUnauthenticated(`Bearer ${signRaw({ ...CLAIMS, iat: now, exp: String(now + 300) })}`);
    await expectUnauthenticated(`Bearer ${signRaw({ ...CLAIMS, iat: now, exp: now + 300, nbf: 'now' })}`);
  });

  it('rejects a token that is not valid yet beyond the clock tolerance, and tolerates a little skew', async () => {
    const now = Math.floor(Date.now() / 1000);
    await expectUnauthenticated(`Bearer ${sign({ ...CLAIMS, nbf: now + 120 })}`);
    const viewer = await verifier.verifyAuthorizationHeader(`Bearer ${sign({ ...CLAIMS, nbf: now + 5 })}`);
    expect(viewer?.subject).toBe('user-1');
  });

  it.each([
    ['roles is a string', { ...CLAIMS, roles: 'platform_admin' }],
    ['sub is a number', { ...CLAIMS, sub: 42 }],
    ['sub is empty', { ...CLAIMS, sub: '' }],
    ['scope is a list', { ...CLAIMS, scope: ['catalog:read'] }],
    ['province is a number', { ...CLAIMS, province: 51 }],
  ])('rejects a token whose claims are ill-typed (%s)', async (_label, claims) => {
    const error = await expectUnauthenticated(`Bearer ${sign(claims)}`);
    expect(error.message).toContain('lacks required claims');
  });

  it('rejects a token without a subject', async () => {
    await expectUnauthenticated(`Bearer ${sign({ roles: ['researcher'], province: 'sichuan' })}`);
  });
});

describe('createTokenVerifier under forged kids', () => {
  it('a flood of random kids on a fresh verifier neither starves nor evicts the real key, and costs one JWKS fetch', async () => {
    // As a forger makes them: a real token's claims and signature under a header naming a kid of its choosing (a
    // signature is checked only with the key its kid names). Signing 150 anew cost some 300 ms of CPU.
    const [, claims, signature] = sign().split('.');
    const forgedKid = () => `Bearer ${b64url({ alg: 'RS256', typ: 'JWT', kid: `forged-${randomUUID()}` })}.${claims}.${signature}`;
    const fresh = createTokenVerifier(config);
    const before = jwksRequests;
    const forged = Array.from({ length: 100 }, () => fresh.verifyAuthorizationHeader(forgedKid()).catch((e: unknown) => e));
    const refusals = await Promise.all(forged);
    expect(refusals.every((e) => e instanceof TokenRefusedError && e.reason === 'unknown_kid')).toBe(true);
    for (let i = 0; i < 50; i++) await expect(fresh.verifyAuthorizationHeader(forgedKid())).rejects.toThrow();
    await expect(fresh.verifyAuthorizationHeader(`Bearer ${sign()}`)).resolves.toMatchObject({ subject: 'user-1' });
    expect(jwksRequests - before).toBe(1);
  });

  it('refuses every token as "keys unavailable" while the JWKS was never reachable', async () => {
    const unreachable = createTokenVerifier({ ...config, jwksUrl: 'http://127.0.0.1:1/.well-known/jwks.json' });
    const error = await unreachable.verifyAuthorizationHeader(`Bearer ${sign()}`).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TokenRefusedError);
    expect((error as TokenRefusedError).reason).toBe('keys_unavailable');
  });
});

describe('why a token is refused', () => {
  const now = () => Math.floor(Date.now() / 1000);
  const cases: [TokenRefusalReason, () => string][] = [
    ['malformed', () => 'Basic x'],
    ['malformed', () => 'Bearer not.a.token'],
    ['unsupported_algorithm', () => `Bearer ${b64url({ alg: 'none', typ: 'JWT', kid: KID })}.${b64url({ ...CLAIMS, iss: ISSUER, aud: AUDIENCE, exp: now() + 300 })}.`],
    ['unsupported_algorithm', () => `Bearer ${jwt.sign(CLAIMS, publicKeyPem, { algorithm: 'HS256', keyid: KID, issuer: ISSUER, audience: AUDIENCE, expiresIn: 300 })}`],
    ['no_kid', () => `Bearer ${jwt.sign(CLAIMS, privateKeyPem, { algorithm: 'RS256', issuer: ISSUER, audience: AUDIENCE, expiresIn: 300 })}`],
    ['unknown_kid', () => `Bearer ${sign(CLAIMS, { keyid: 'unknown-kid' })}`],
    ['bad_signature', () => `Bearer ${sign(CLAIMS, {}, stranger.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString())}`],
    ['expired', () => `Bearer ${sign({ ...CLAIMS, iat: now() - 600, exp: now() - 120 })}`],
    ['not_yet_valid', () => `Bearer ${sign({ ...CLAIMS, nbf: now() + 120 })}`],
    ['wrong_issuer', () => `Bearer ${sign(CLAIMS, { issuer: 'https://evil.example' })}`],
    ['wrong_audience', () => `Bearer ${sign(CLAIMS, { audience: 'some-other-api' })}`],
    ['bad_claims', () => `Bearer ${sign({ sub: 'user-1', province: 'sichuan' })}`],
  ];
  it.each(cases)('%s', async (reason, header) => {
    const error = await expectUnauthenticated(header());
    expect(error).toBeInstanceOf(TokenRefusedError);
    expect((error as TokenRefusedError).reason).toBe(reason);
  });
  describe('a token verified before', () => {
    afterEach(() => jest.restoreAllMocks());

    it('is answered the same again without checking its signature again', async () => {
      const token = sign({ ...CLAIMS, sub: `user-${randomUUID()}` });
      const first = await verifier.verifyAuthorizationHeader(`Bearer ${token}`);
      const verify = jest.spyOn(jwt, 'verify');
      expect(await verifier.verifyAuthorizationHeader(`Bearer ${token}`)).toEqual(first);
      expect(verify).not.toHaveBeenCalled();
      // Another token, even of the same person, is checked.
      await verifier.verifyAuthorizationHeader(`Bearer ${sign({ ...CLAIMS, sub: first!.subject, jti: randomUUID() })}`);
      expect(verify).toHaveBeenCalledTimes(1);
    });

    it('is refused as expired once its time is past, the clock tolerance included', async () => {
      const start = Date.now();
      const token = sign({ ...CLAIMS, exp: Math.floor(start / 1000) + 60 });
      expect(await verifier.verifyAuthorizationHeader(`Bearer ${token}`)).not.toBeNull();
      jest.spyOn(Date, 'now').mockReturnValue(start + 60_000 + 20_000);
      expect(await verifier.verifyAuthorizationHeader(`Bearer ${token}`)).not.toBeNull();
      jest.spyOn(Date, 'now').mockReturnValue(start + 60_000 + 31_000);
      expect(((await expectUnauthenticated(`Bearer ${token}`)) as TokenRefusedError).reason).toBe('expired');
    });

    it('is refused when the key set no longer holds the key it was verified with', async () => {
      const token = sign();
      const published = createPublicKey(publicKeyPem);
      let key = published;
      const rotating = createTokenVerifier(config, { keySet: { keyFor: async (kid) => (kid === KID ? key : undefined), loaded: () => true } });
      expect(await rotating.verifyAuthorizationHeader(`Bearer ${token}`)).not.toBeNull();
      key = createPublicKey(stranger.publicKeyPem);
      await expect(rotating.verifyAuthorizationHeader(`Bearer ${token}`)).rejects.toMatchObject({ reason: 'bad_signature' });
      key = published;
      expect(await rotating.verifyAuthorizationHeader(`Bearer ${token}`)).not.toBeNull();
    });
  });
});
