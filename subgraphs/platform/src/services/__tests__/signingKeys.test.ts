import { createPublicKey } from 'node:crypto';
import { chownSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTokenVerifier, DomainError, type AuthConfig } from '../../../../../shared/src';
import { testOnlyKey } from '../../../../../shared/src/testing/testOnlyKeys';
import { loadSigningKeys, type SigningKeys } from '../signingKeys';
import { TokenIssuer } from '../TokenIssuer';

const AUTH = { issuer: 'https://id.test.shuangcheng.example', audience: 'shuangcheng-test-api', badTokensPerMinute: 60 };
const CLAIMS = { sub: 'user-1', roles: ['researcher' as const], province: 'sichuan' as const };

const oldPrivatePem = testOnlyKey('first').privateKeyPem;
const newPrivatePem = testOnlyKey('second').privateKeyPem;

let dir: string;
let oldPublicKeyFile: string;
/** Stands in for the platform's /.well-known/jwks.json: each test says what it serves. */
let served: SigningKeys['jwks'] = { keys: [] };
let server: Server;
let jwksUrl: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'signing-keys-'));
  oldPublicKeyFile = join(dir, 'previous-public.pem');
  // What an operator keeps of the retired key: its public half only.
  writeFileSync(oldPublicKeyFile, createPublicKey(oldPrivatePem).export({ type: 'spki', format: 'pem' }).toString());
  server = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify(served));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  jwksUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/.well-known/jwks.json`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
  rmSync(dir, { recursive: true, force: true });
});

/** A verifier as a province subgraph builds one: it knows only the JWKS URL (a fresh one, so nothing is cached). */
const provinceVerifier = () => createTokenVerifier({ ...AUTH, jwksUrl } satisfies AuthConfig);

async function signWith(privatePem: string): Promise<string> {
  const keys = await loadSigningKeys({ kind: 'inline', pem: privatePem, previousPublicKeyFiles: [] });
  return new TokenIssuer(keys, { ...AUTH, jwksUrl }, 900).issue(CLAIMS).token;
}

describe('key rotation', () => {
  it('serves the current key first and the previous one after it, without private parts', async () => {
    const rotated = await loadSigningKeys({ kind: 'inline', pem: newPrivatePem, previousPublicKeyFiles: [oldPublicKeyFile] });
    const old = await loadSigningKeys({ kind: 'inline', pem: oldPrivatePem, previousPublicKeyFiles: [] });
    expect(rotated.jwks.keys.map((key) => key.kid)).toEqual([rotated.kid, old.kid]);
    expect(rotated.kid).not.toBe(old.kid);
    for (const key of rotated.jwks.keys) expect(key).not.toHaveProperty('d');
  });

  it('lists a key only once when the previous file holds the current key', async () => {
    const keys = await loadSigningKeys({ kind: 'inline', pem: oldPrivatePem, previousPublicKeyFiles: [oldPublicKeyFile] });
    expect(keys.jwks.keys).toHaveLength(1);
  });

  it('after a rotation, a subgraph still accepts tokens signed with the previous key while it is listed', async () => {
    const beforeRotation = await signWith(oldPrivatePem);
    served = (await loadSigningKeys({ kind: 'inline', pem: newPrivatePem, previousPublicKeyFiles: [oldPublicKeyFile] })).jwks;
    const verifier = provinceVerifier();
    await expect(verifier.verifyAuthorizationHeader(`Bearer ${beforeRotation}`)).resolves.toMatchObject({ subject: 'user-1' });
    await expect(verifier.verifyAuthorizationHeader(`Bearer ${await signWith(newPrivatePem)}`)).resolves.toMatchObject({ subject: 'user-1' });
  });

  it('once the previous key is removed, its tokens are refused and new ones still verify', async () => {
    const beforeRotation = await signWith(oldPrivatePem);
    served = (await loadSigningKeys({ kind: 'inline', pem: newPrivatePem, previousPublicKeyFiles: [] })).jwks;
    const verifier = provinceVerifier();
    const error = await verifier.verifyAuthorizationHeader(`Bearer ${beforeRotation}`).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DomainError);
    expect((error as DomainError).code).toBe('UNAUTHENTICATED');
    await expect(verifier.verifyAuthorizationHeader(`Bearer ${await signWith(newPrivatePem)}`)).resolves.toMatchObject({ subject: 'user-1' });
  });
});

describe('a key generated in the data folder', () => {
  const generated = (file: string) => loadSigningKeys({ kind: 'file', file, generateIfMissing: true, previousPublicKeyFiles: [] });

  it('is made once and kept', async () => {
    const file = join(dir, 'keys', 'jwt-signing-key.pem');
    const first = await generated(file);
    await expect(generated(file)).resolves.toMatchObject({ kid: first.kid });
  });

  // Handing a file to another user takes root (CI runs tests as root).
  (process.getuid?.() === 0 ? it : it.skip)('is refused when another user planted it, since they could sign any token with it', async () => {
    const file = join(dir, 'planted-signing-key.pem');
    writeFileSync(file, newPrivatePem, { mode: 0o600 });
    chownSync(file, 65534, 65534);
    await expect(generated(file)).rejects.toThrow(/belongs to user 65534/);
  });
});
