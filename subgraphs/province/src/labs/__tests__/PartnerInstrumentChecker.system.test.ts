import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { DomainError, PROVINCES, encodeGlobalId } from '../../../../../shared/src';
import { freePort, testSystem, tokenFor } from '../../../../../test/support';
import { DEMO_SEEDS, seededId } from '../../seeds';
import { GatewayPartnerInstrumentChecker } from '../PartnerInstrumentChecker';

const { chongqing, sichuan } = PROVINCES;
const chongqingInstrument = (index: number) =>
  encodeGlobalId(chongqing, 'instrument', seededId('chongqing', 'instrument', DEMO_SEEDS.chongqing.instruments[index]!.code));
const caller = { requestId: 'partner-check-test' };
/** As in production, the check is asked with the admin's own token (anonymous callers share one rate-limit bucket per address). */
const adminCaller = async () => ({ ...caller, authorization: `Bearer ${await tokenFor('sc.admin')}` });

async function failure(promise: Promise<unknown>): Promise<DomainError> {
  const error = await promise.then(() => undefined, (e: unknown) => e);
  expect(error).toBeInstanceOf(DomainError);
  return error as DomainError;
}

describe('GatewayPartnerInstrumentChecker', () => {
  describe('through the running gateway', () => {
    const checker = () => new GatewayPartnerInstrumentChecker(testSystem().gatewayUrl, chongqing);

    it('knows Chongqing instruments that exist, and names those that do not, in the order given', async () => {
      const missingA = encodeGlobalId(chongqing, 'instrument', '00000000-0000-4000-8000-00000000000a');
      const missingB = encodeGlobalId(chongqing, 'instrument', '00000000-0000-4000-8000-00000000000b');
      expect(await checker().findUnknown([chongqingInstrument(0), chongqingInstrument(1)], await adminCaller())).toEqual([]);
      expect(await checker().findUnknown([missingB, chongqingInstrument(0), missingA], await adminCaller())).toEqual([missingB, missingA]);
    });

    it('checks a long list in requests small enough for the gateway’s operation limits', async () => {
      const missing = Array.from({ length: 13 }, (_, i) => encodeGlobalId(chongqing, 'instrument', `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`));
      const known = Array.from({ length: 12 }, (_, i) => chongqingInstrument(i));
      const mixed = known.flatMap((id, i) => [id, missing[i]!]).concat(missing[12]!);
      expect(await checker().findUnknown(mixed, await adminCaller())).toEqual(missing);
    });

    it('asks nothing for an empty list', async () => {
      const unreachable = new GatewayPartnerInstrumentChecker('http://127.0.0.1:9/graphql', chongqing);
      expect(await unreachable.findUnknown([], caller)).toEqual([]);
    });

    it('does not take an own-province instrument for a partner one', async () => {
      // A Sichuan id answered as SichuanInstrument is not a Chongqing instrument, whatever the gateway finds.
      const own = encodeGlobalId(sichuan, 'instrument', seededId('sichuan', 'instrument', DEMO_SEEDS.sichuan.instruments[0]!.code));
      expect(await checker().findUnknown([own], await adminCaller())).toEqual([own]);
    });
  });

  describe('when the gateway cannot answer', () => {
    let silent: Server;
    let refusing: Server;
    beforeAll(async () => {
      // Accepts connections and never answers: a gateway that hangs.
      silent = createServer(() => undefined);
      // Answers every request with the HTTP status named in its path, as a gateway refusing a request does;
      // a 200 carries a null and an error other than NOT_FOUND, as when the partner's subgraph is down.
      refusing = createServer((request, response) => {
        const status = Number(request.url!.slice(1));
        response.writeHead(status, { 'content-type': 'application/json' });
        response.end(JSON.stringify(status === 200
          ? { data: { i0: null }, errors: [{ message: 'Chongqing did not answer', path: ['i0'], extensions: { code: 'SERVICE_UNAVAILABLE' } }] }
          : { errors: [{ message: 'refused', extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } }] }));
      });
      await Promise.all([silent, refusing].map((server) => new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))));
    });
    afterAll(async () => {
      silent.closeAllConnections();
      await Promise.all([silent, refusing].map((server) => new Promise((resolve) => server.close(resolve))));
    });

    it('answers SERVICE_UNAVAILABLE when the gateway is busy (429) or failing (503)', async () => {
      const { port } = refusing.address() as AddressInfo;
      for (const status of [429, 503]) {
        const checker = new GatewayPartnerInstrumentChecker(`http://127.0.0.1:${port}/${status}`, chongqing);
        expect((await failure(checker.findUnknown([chongqingInstrument(0)], caller))).code).toBe('SERVICE_UNAVAILABLE');
      }
    });

    it('reports a request the gateway refuses as such (a fault to fix, not "retry later"), and an expired token as UNAUTHENTICATED', async () => {
      const { port } = refusing.address() as AddressInfo;
      const refused = new GatewayPartnerInstrumentChecker(`http://127.0.0.1:${port}/400`, chongqing).findUnknown([chongqingInstrument(0)], caller);
      await expect(refused).rejects.toThrow(/gateway refused the check of the partner instruments with HTTP 400: refused/);
      const expired = new GatewayPartnerInstrumentChecker(`http://127.0.0.1:${port}/401`, chongqing);
      expect((await failure(expired.findUnknown([chongqingInstrument(0)], caller))).code).toBe('UNAUTHENTICATED');
    });

    it('answers SERVICE_UNAVAILABLE, saying to retry later, when nothing listens', async () => {
      const checker = new GatewayPartnerInstrumentChecker(`http://127.0.0.1:${await freePort()}/graphql`, chongqing);
      const error = await failure(checker.findUnknown([chongqingInstrument(0)], caller));
      expect(error.code).toBe('SERVICE_UNAVAILABLE');
      expect(error.message).toMatch(/Chongqing's instruments could not be checked right now.*nothing was saved\. Retry later\./);
    });

    it('gives up after its timeout instead of hanging', async () => {
      const { port } = silent.address() as AddressInfo;
      const checker = new GatewayPartnerInstrumentChecker(`http://127.0.0.1:${port}/graphql`, chongqing, fetch, 300);
      const started = Date.now();
      const error = await failure(checker.findUnknown([chongqingInstrument(0)], caller));
      expect(error.code).toBe('SERVICE_UNAVAILABLE');
      expect(Date.now() - started).toBeLessThan(5_000);
    });

    it('answers SERVICE_UNAVAILABLE when the gateway answers with errors other than NOT_FOUND instead of data', async () => {
      const { port } = refusing.address() as AddressInfo;
      const checker = new GatewayPartnerInstrumentChecker(`http://127.0.0.1:${port}/200`, chongqing);
      const error = await failure(checker.findUnknown([chongqingInstrument(0)], caller));
      expect(error.code).toBe('SERVICE_UNAVAILABLE');
    });
  });
});
