import type { IncomingMessage } from 'node:http';
import { Writable } from 'node:stream';
import { GraphQLError } from 'graphql';
import jwt from 'jsonwebtoken';
import { createJwksKeySet } from '../../auth/createJwksKeySet';
import { createTokenGuard } from '../../auth/createTokenGuard';
import { createTokenVerifier, type TokenVerifier } from '../../auth/createTokenVerifier';
import { createLogger } from '../../logging/createLogger';
import { createMetricsRegistry } from '../../metrics/createMetricsRegistry';
import { testOnlyKey } from '../../testing/testOnlyKeys';
import { identifyRequest } from '../requestContext';

const AUTH = { jwksUrl: 'http://127.0.0.1:1/unused', issuer: 'https://id.test', audience: 'test-api', badTokensPerMinute: 2 };
const { privateKey, publicKey } = testOnlyKey('first');
const keySet = createJwksKeySet({ kind: 'local', jwks: { keys: [{ ...publicKey.export({ format: 'jwk' }), kid: 'real' }] } });
const forged = () => jwt.sign({ sub: 'x', roles: ['researcher'] }, privateKey, { algorithm: 'RS256', keyid: `forged-${Math.random()}`, issuer: AUTH.issuer, audience: AUTH.audience, expiresIn: 60 });

const request = (authorization: string | undefined, address = '198.51.100.20') =>
  ({ headers: { ...(authorization ? { authorization } : {}), 'x-request-id': 'req-1' }, socket: { remoteAddress: address } }) as unknown as IncomingMessage;

function setUp() {
  const log: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      log.push(chunk.toString());
      done();
    },
  });
  const logger = createLogger('test', 'info', sink);
  const metrics = createMetricsRegistry('test');
  const real = createTokenVerifier(AUTH, { keySet });
  let verifications = 0;
  const verifier: TokenVerifier = {
    verifyAuthorizationHeader: (header) => {
      if (header) verifications += 1;
      return real.verifyAuthorizationHeader(header);
    },
  };
  const guard = createTokenGuard({ metrics, logger, badTokensPerMinute: AUTH.badTokensPerMinute, logEveryMs: 0 });
  return { verifier, guard, log, metrics, verifications: () => verifications };
}

/** The GraphQL error a refused request fails with. */
const refusal = (promise: Promise<unknown>) => promise.then(() => { throw new Error('expected a refusal'); }, (e: unknown) => e as GraphQLError);

describe('identifyRequest', () => {
  it('answers a bad token with 401, counted by reason and logged without the token', async () => {
    const { verifier, guard, log, metrics } = setUp();
    const token = forged();
    const error = await refusal(identifyRequest(request(`Bearer ${token}`), verifier, guard));
    expect(error.extensions).toMatchObject({ code: 'UNAUTHENTICATED', http: { status: 401 } });
    const counted = await metrics.getSingleMetric('auth_tokens_refused_total')!.get();
    expect(counted.values.find(({ labels }) => labels['reason'] === 'unknown_kid')?.value).toBe(1);
    expect(log).toHaveLength(1);
    expect(JSON.parse(log[0]!)).toMatchObject({ msg: 'token refused', reason: 'unknown_kid', requestId: 'req-1', address: '198.51.100.20' });
    for (const part of token.split('.')) expect(log[0]).not.toContain(part);
  });

  it('throttles an address after repeated bad tokens before verifying anything, and leaves anonymous requests and other addresses alone', async () => {
    const { verifier, guard, verifications } = setUp();
    for (let i = 0; i < 2; i++) await refusal(identifyRequest(request(`Bearer ${forged()}`), verifier, guard));
    expect(verifications()).toBe(2);
    const throttled = await refusal(identifyRequest(request(`Bearer ${forged()}`), verifier, guard));
    expect(throttled.extensions).toMatchObject({ code: 'RATE_LIMITED', http: { status: 429 } });
    expect(verifications()).toBe(2);
    await expect(identifyRequest(request(undefined), verifier, guard)).resolves.toMatchObject({ viewer: null });
    const other = await refusal(identifyRequest(request(`Bearer ${forged()}`, '198.51.100.21'), verifier, guard));
    expect(other.extensions['code']).toBe('UNAUTHENTICATED');
    expect(verifications()).toBe(3);
  });
});
