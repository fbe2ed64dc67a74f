import { BlockList, isIP } from 'node:net';
import type { RequestHead } from './RequestHead';

/**
 * Finds the address of the client behind a request, for limits counted per
 * address. It is the socket's peer, unless that peer is one of
 * `trustedProxies` (CIDR blocks, see toCidr): then `x-forwarded-for` is
 * walked from the right, past hops that are trusted proxies too, and the first
 * other address is the client. Each proxy appends the address it saw, so the
 * entries left of that one were written by the client and are never believed.
 * With no trusted proxies the header is ignored.
 */
/** Addresses whose trust is kept, forgotten all at once when full (clients forwarded from many addresses). */
const MAX_ADDRESSES_DECIDED = 1_024;

export function clientAddressResolver(trustedProxies: readonly string[]): (req: RequestHead) => string {
  const blocks = new BlockList();
  for (const cidr of trustedProxies) {
    const [address, prefix] = cidr.split('/') as [string, string];
    blocks.addSubnet(address, Number(prefix), isIP(address) === 6 ? 'ipv6' : 'ipv4');
  }
  // A BlockList check makes a native SocketAddress each time; the peers a service sees are a handful of proxies.
  const decided = new Map<string, boolean>();
  const trusted = (address: string) => {
    let answer = decided.get(address);
    if (answer === undefined) {
      answer = blocks.check(address, isIP(address) === 6 ? 'ipv6' : 'ipv4');
      if (decided.size >= MAX_ADDRESSES_DECIDED) decided.clear();
      decided.set(address, answer);
    }
    return answer;
  };
  return (req) => {
    const peer = parseAddress(req.socket.remoteAddress ?? '');
    if (!peer) return 'unknown';
    let client = peer;
    if (!trusted(peer)) return client;
    const chain = forwardedChain(req.headers['x-forwarded-for']);
    for (let index = chain.length - 1; index >= 0; index -= 1) {
      const hop = parseAddress(chain[index]!);
      // A trusted proxy writes only addresses: whatever is left of a malformed entry cannot be vouched for.
      if (!hop) break;
      client = hop;
      if (!trusted(hop)) break;
    }
    return client;
  };
}

/**
 * An entry of `TRUSTED_PROXIES` as a CIDR block (`10.0.0.0/8`, `::1/128`; a
 * bare address is a block of one), or null when it is not one.
 */
export function toCidr(entry: string): string | null {
  const [address = '', prefix, ...rest] = entry.trim().split('/');
  const family = isIP(address);
  // Zone ids (`fe80::1%eth0`) name an interface, not a block.
  if (family === 0 || address.includes('%') || rest.length > 0) return null;
  const longest = family === 4 ? 32 : 128;
  if (prefix === undefined) return `${address.toLowerCase()}/${longest}`;
  if (!/^\d{1,3}$/.test(prefix) || Number(prefix) > longest) return null;
  return `${address.toLowerCase()}/${Number(prefix)}`;
}

/** The entries of every `x-forwarded-for` header, in order (Node joins repeated headers; a RequestHead may hold a list). */
function forwardedChain(header: string | string[] | undefined): string[] {
  return (Array.isArray(header) ? header.join(',') : header ?? '').split(',');
}

/** A bare IP address, or null: accepts `1.2.3.4:5678`, `[::1]:80` and IPv4-mapped IPv6 (`::ffff:1.2.3.4` → `1.2.3.4`). */
function parseAddress(raw: string): string | null {
  let value = raw.trim();
  const bracketed = /^\[([^\]]+)\](?::\d+)?$/.exec(value);
  if (bracketed) value = bracketed[1]!;
  else if (/^[\d.]+:\d+$/.test(value)) value = value.slice(0, value.lastIndexOf(':'));
  const mapped = /^::ffff:([\d.]+)$/i.exec(value);
  if (mapped && isIP(mapped[1]!) === 4) return mapped[1]!;
  const version = isIP(value);
  if (version === 4) return value;
  if (version === 6) return value.toLowerCase();
  return null;
}
