import { GATEWAY_SECRET_HEADER, type RequestHead } from '../../../../../shared/src';
import { addressBlock, platformClientAddress } from '../platformClientAddress';

const SECRET = 'a-gateway-secret-of-some-length';

function request(remoteAddress: string, headers: Record<string, string> = {}): RequestHead {
  return { headers, socket: { remoteAddress } };
}

describe('platformClientAddress', () => {
  const fromGateway = { 'x-forwarded-for': '203.0.113.9', [GATEWAY_SECRET_HEADER]: SECRET };

  it('believes x-forwarded-for from a trusted proxy presenting the gateway secret', () => {
    expect(platformClientAddress({ trustedProxies: ['127.0.0.1/32'], gatewaySecret: SECRET })(request('127.0.0.1', fromGateway))).toBe('203.0.113.9');
  });

  it('counts a caller at a trusted address without the secret by its own address: on one machine every process shares the gateway\'s', () => {
    const resolve = platformClientAddress({ trustedProxies: ['127.0.0.1/32'], gatewaySecret: SECRET });
    expect(resolve(request('127.0.0.1', { 'x-forwarded-for': '203.0.113.9' }))).toBe('127.0.0.1');
    expect(resolve(request('127.0.0.1', { 'x-forwarded-for': '203.0.113.9', [GATEWAY_SECRET_HEADER]: 'a-wrong-secret-of-some-length' }))).toBe('127.0.0.1');
  });

  it('ignores x-forwarded-for from any other address, secret or not', () => {
    expect(platformClientAddress({ trustedProxies: ['127.0.0.1/32'], gatewaySecret: SECRET })(request('127.0.0.2', fromGateway))).toBe('127.0.0.2');
    expect(platformClientAddress({ trustedProxies: [], gatewaySecret: SECRET })(request('127.0.0.1', fromGateway))).toBe('127.0.0.1');
  });

  it('without a gateway secret, goes by the address alone', () => {
    const resolve = platformClientAddress({ trustedProxies: ['127.0.0.1/32'], gatewaySecret: undefined });
    expect(resolve(request('127.0.0.1', { 'x-forwarded-for': '203.0.113.9' }))).toBe('203.0.113.9');
    expect(resolve(request('127.0.0.2', { 'x-forwarded-for': '203.0.113.9' }))).toBe('127.0.0.2');
  });
});
describe('addressBlock', () => {
  it('keeps an IPv4 address as it is', () => {
    expect(addressBlock('203.0.113.9')).toBe('203.0.113.9');
    expect(addressBlock('unknown')).toBe('unknown');
  });

  it('groups IPv6 addresses by their /64 block', () => {
    expect(addressBlock('2001:db8:1:2:aaaa:bbbb:cccc:dddd')).toBe('2001:db8:1:2::/64');
    expect(addressBlock('2001:0db8:0001:0002::1')).toBe('2001:db8:1:2::/64');
    expect(addressBlock('2001:db8::1')).toBe('2001:db8:0:0::/64');
    expect(addressBlock('::1')).toBe('0:0:0:0::/64');
    expect(addressBlock('64:ff9b::192.0.2.33')).toBe('64:ff9b:0:0::/64');
    expect(addressBlock('fe80::1%eth0')).toBe('fe80:0:0:0::/64');
  });

  it('gives two addresses of one /64 the same block and of different /64s different ones', () => {
    expect(addressBlock('2001:db8:5:6::1')).toBe(addressBlock('2001:db8:5:6:ffff::9'));
    expect(addressBlock('2001:db8:5:6::1')).not.toBe(addressBlock('2001:db8:5:7::1'));
  });
});
