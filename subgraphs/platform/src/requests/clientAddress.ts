import { isIP } from 'node:net';
import type { RequestHead } from '../../../../shared/src';

/**
 * The address of whoever is signing in. Behind a trusted proxy (the gateway,
 * TRUST_PROXY=true) that is the left-most well-formed `x-forwarded-for` entry,
 * the address the first proxy saw; otherwise the socket's peer, because a
 * caller that reaches this service directly could write any header it likes.
 */
export function clientAddress(req: RequestHead, trustProxy: boolean): string {
  if (trustProxy) {
    const header = req.headers['x-forwarded-for'];
    const chain = (Array.isArray(header) ? header.join(',') : header ?? '').split(',');
    for (const entry of chain) {
      const address = parseAddress(entry);
      if (address) return address;
    }
  }
  return parseAddress(req.socket.remoteAddress ?? '') ?? 'unknown';
}

/**
 * The unit a per-address limit counts: an IPv4 address, or the /64 block of
 * an IPv6 address, because one IPv6 subscriber usually holds a whole /64 and
 * could otherwise step to a fresh address for every guess.
 */
export function addressBlock(address: string): string {
  if (isIP(address) !== 6) return address;
  return `${expandIPv6(address).slice(0, 4).join(':')}::/64`;
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

/** The eight 16-bit groups of an IPv6 address, lower-case hex without leading zeros. */
function expandIPv6(address: string): string[] {
  // A trailing dotted IPv4 part fills the last two groups; only the first four matter here, so zeros stand in for it.
  const hex = address.split('%')[0]!.toLowerCase().replace(/\d+\.\d+\.\d+\.\d+$/, '0:0');
  const [head = '', tail] = hex.split('::');
  const left = head ? head.split(':') : [];
  const right = tail ? tail.split(':') : [];
  const zeros = tail === undefined ? [] : Array<string>(8 - left.length - right.length).fill('0');
  return [...left, ...zeros, ...right].map((group) => Number.parseInt(group, 16).toString(16));
}
