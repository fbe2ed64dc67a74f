import { GATEWAY_SECRET_HEADER, presentsGatewaySecret } from '../gatewayOnlyFieldsPlugin';
import type { RequestHead } from '../../http/RequestHead';

const request = (headers: Record<string, string>): RequestHead => ({ headers, socket: { remoteAddress: '127.0.0.1' } }) as unknown as RequestHead;

describe('presentsGatewaySecret', () => {
  it('tells the gateway from other callers, for each request on its own', () => {
    expect(presentsGatewaySecret(request({ [GATEWAY_SECRET_HEADER]: 'secret-one' }), 'secret-one')).toBe(true);
    expect(presentsGatewaySecret(request({ [GATEWAY_SECRET_HEADER]: 'a guess' }), 'secret-one')).toBe(false);
    expect(presentsGatewaySecret(request({}), 'secret-one')).toBe(false);
  });

  it('answers a request again from its first check, and checks again against another secret', () => {
    const req = request({ [GATEWAY_SECRET_HEADER]: 'secret-one' });
    expect(presentsGatewaySecret(req, 'secret-one')).toBe(true);
    // Kept per request: the same request, asked again, gets the same answer.
    req.headers[GATEWAY_SECRET_HEADER] = 'changed';
    expect(presentsGatewaySecret(req, 'secret-one')).toBe(true);
    // Against another secret the kept answer does not count.
    expect(presentsGatewaySecret(req, 'secret-two')).toBe(false);
  });
});
