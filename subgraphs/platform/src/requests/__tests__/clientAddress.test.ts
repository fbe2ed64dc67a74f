import type { IncomingMessage } from 'node:http';
import { addressBlock, clientAddress } from '../clientAddress';

function request(remoteAddress: string | undefined, forwardedFor?: string | string[]) {
  return {
    headers: forwardedFor === undefined ? {} : { 'x-forwarded-for': forwardedFor },
    socket: { remoteAddress },
  } as unknown as Pick<IncomingMessage, 'headers' | 'socket'>;
}

describe('clientAddress', () => {
  it('uses the socket address and ignores x-forwarded-for unless the proxy is trusted', () => {
    expect(clientAddress(request('127.0.0.1', '203.0.113.9'), false)).toBe('127.0.0.1');
  });

  it('behind a trusted proxy, takes the left-most entry of the chain', () => {
    expect(clientAddress(request('127.0.0.1', '203.0.113.9, 10.0.0.2, 127.0.0.1'), true)).toBe('203.0.113.9');
    expect(clientAddress(request('127.0.0.1', ['203.0.113.9', '10.0.0.2']), true)).toBe('203.0.113.9');
  });

  it('skips entries that are not IP addresses', () => {
    expect(clientAddress(request('127.0.0.1', 'unknown, <script>, 198.51.100.4'), true)).toBe('198.51.100.4');
  });

  it('falls back to the socket when the chain holds no address', () => {
    expect(clientAddress(request('10.1.2.3', ''), true)).toBe('10.1.2.3');
    expect(clientAddress(request('10.1.2.3', 'garbage'), true)).toBe('10.1.2.3');
    expect(clientAddress(request('10.1.2.3'), true)).toBe('10.1.2.3');
  });

  it('normalises ports, brackets, IPv4-mapped IPv6 and case', () => {
    expect(clientAddress(request('::ffff:127.0.0.1'), false)).toBe('127.0.0.1');
    expect(clientAddress(request('127.0.0.1', '203.0.113.9:51234'), true)).toBe('203.0.113.9');
    expect(clientAddress(request('127.0.0.1', '[2001:DB8::1]:443'), true)).toBe('2001:db8::1');
    expect(clientAddress(request('127.0.0.1', '::FFFF:198.51.100.1'), true)).toBe('198.51.100.1');
  });

  it('answers "unknown" when there is no address at all', () => {
    expect(clientAddress(request(undefined), false)).toBe('unknown');
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
