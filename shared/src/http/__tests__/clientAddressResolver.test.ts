import { clientAddressResolver, toCidr } from '../clientAddressResolver';
import type { RequestHead } from '../RequestHead';

function request(remoteAddress: string | undefined, forwardedFor?: string | string[]): RequestHead {
  return { headers: forwardedFor === undefined ? {} : { 'x-forwarded-for': forwardedFor }, socket: { remoteAddress } };
}

/** A load balancer at 10.0.0.1 in front, with more proxies of the same network between it and the client. */
const behindBalancer = clientAddressResolver(['10.0.0.0/8', '::1/128', 'fd00::/8']);

describe('clientAddressResolver', () => {
  it('answers the socket address and ignores x-forwarded-for from a peer that is not a trusted proxy', () => {
    expect(behindBalancer(request('203.0.113.50', '198.51.100.1'))).toBe('203.0.113.50');
    expect(behindBalancer(request('2001:db8::50', '198.51.100.1'))).toBe('2001:db8::50');
    // Trusting nobody is the default: the header is never read.
    expect(clientAddressResolver([])(request('127.0.0.1', '198.51.100.1'))).toBe('127.0.0.1');
  });

  it('behind a trusted proxy, answers the address that proxy appended', () => {
    expect(behindBalancer(request('10.0.0.1', '203.0.113.9'))).toBe('203.0.113.9');
  });

  it('takes the right-most address that is not a trusted proxy, so entries the client wrote are never believed', () => {
    // The client sent "198.51.100.7"; the balancer appended the address it really saw.
    expect(behindBalancer(request('10.0.0.1', '198.51.100.7, 203.0.113.9'))).toBe('203.0.113.9');
    // Through two proxies of the trusted network.
    expect(behindBalancer(request('10.0.0.1', '198.51.100.7, 203.0.113.9, 10.0.0.2'))).toBe('203.0.113.9');
    // Repeated x-forwarded-for headers are one chain, in order.
    expect(behindBalancer(request('10.0.0.1', ['198.51.100.7', '203.0.113.9, 10.0.0.2']))).toBe('203.0.113.9');
  });

  it('answers the left-most hop when every hop is a trusted proxy', () => {
    expect(behindBalancer(request('10.0.0.1', '10.0.0.3, 10.0.0.2'))).toBe('10.0.0.3');
  });

  it('answers the nearest hop it can vouch for when the chain is empty or malformed', () => {
    expect(behindBalancer(request('10.0.0.1'))).toBe('10.0.0.1');
    expect(behindBalancer(request('10.0.0.1', ''))).toBe('10.0.0.1');
    expect(behindBalancer(request('10.0.0.1', ' , '))).toBe('10.0.0.1');
    expect(behindBalancer(request('10.0.0.1', 'garbage'))).toBe('10.0.0.1');
    expect(behindBalancer(request('10.0.0.1', '203.0.113.9, <script>'))).toBe('10.0.0.1');
    expect(behindBalancer(request('10.0.0.1', '198.51.100.1, unknown, 10.0.0.2'))).toBe('10.0.0.2');
    expect(behindBalancer(request('10.0.0.1', '203.0.113.9, 999.1.1.1'))).toBe('10.0.0.1');
    // Garbage left of the client's address is the client's own writing and changes nothing.
    expect(behindBalancer(request('10.0.0.1', 'unknown, 203.0.113.9'))).toBe('203.0.113.9');
  });

  it('reads IPv6 peers and hops, with brackets, ports and any case', () => {
    expect(behindBalancer(request('::1', '2001:DB8::7'))).toBe('2001:db8::7');
    expect(behindBalancer(request('::1', '2001:db8::7, fd00::2'))).toBe('2001:db8::7');
    expect(behindBalancer(request('::1', '[2001:DB8::1]:443'))).toBe('2001:db8::1');
    expect(behindBalancer(request('10.0.0.1', '203.0.113.9:51234'))).toBe('203.0.113.9');
  });

  it('treats IPv4-mapped IPv6 as the IPv4 address, as a peer and as a hop', () => {
    // A server listening on "::" sees IPv4 peers this way.
    expect(behindBalancer(request('::ffff:10.0.0.1', '203.0.113.9'))).toBe('203.0.113.9');
    expect(behindBalancer(request('::ffff:203.0.113.50', '198.51.100.1'))).toBe('203.0.113.50');
    expect(behindBalancer(request('10.0.0.1', '::FFFF:198.51.100.1, ::ffff:10.0.0.2'))).toBe('198.51.100.1');
  });

  it('matches a trusted block exactly, not its neighbours', () => {
    const oneProxy = clientAddressResolver(['192.0.2.10/32']);
    expect(oneProxy(request('192.0.2.10', '203.0.113.9'))).toBe('203.0.113.9');
    expect(oneProxy(request('192.0.2.11', '203.0.113.9'))).toBe('192.0.2.11');
  });

  it('decides each address the same however many addresses it has seen', () => {
    const oneProxy = clientAddressResolver(['192.0.2.10/32']);
    for (let round = 0; round < 2; round += 1) {
      for (let n = 0; n < 1_500; n += 1) {
        const peer = `198.51.${n >> 8}.${n & 255}`;
        expect(oneProxy(request(peer, '203.0.113.9'))).toBe(peer);
        if (n % 500 === 0) expect(oneProxy(request('192.0.2.10', '203.0.113.9'))).toBe('203.0.113.9');
      }
    }
  });

  it('answers "unknown" when the socket has no address', () => {
    expect(behindBalancer(request(undefined, '203.0.113.9'))).toBe('unknown');
  });
});

describe('toCidr', () => {
  it('reads CIDR blocks, a bare address as a block of one', () => {
    expect(toCidr('10.0.0.0/8')).toBe('10.0.0.0/8');
    expect(toCidr(' 127.0.0.1 ')).toBe('127.0.0.1/32');
    expect(toCidr('::1')).toBe('::1/128');
    expect(toCidr('FD00::/8')).toBe('fd00::/8');
    expect(toCidr('0.0.0.0/0')).toBe('0.0.0.0/0');
  });

  it.each(['', 'localhost', '10.0.0.0/33', '::/129', '10.0.0.0/', '10.0.0.0/8/8', '10.0.0.0/-1', '10.0.0.0/eight', 'fe80::1%eth0/64', '300.1.1.1'])(
    'refuses %j',
    (entry) => {
      expect(toCidr(entry)).toBeNull();
    },
  );
});
