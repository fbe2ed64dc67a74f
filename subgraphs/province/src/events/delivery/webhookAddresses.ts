import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { BlockList, isIP } from 'node:net';

/**
 * Where webhooks may go. A subscription names a URL that this province's own process then calls,
 * so without limits a subscriber could make it call the province's database, its admin port or a
 * cloud metadata service (server-side request forgery).
 */
export interface WebhookAddressPolicy {
  /** `http:` URLs besides `https:` (development only). */
  readonly allowHttp: boolean;
  /** Loopback, private, link-local and other non-public addresses (development only: receivers on this machine). */
  readonly allowPrivateAddresses: boolean;
}

/** Addresses that are not on the public internet: loopback, private, link-local, carrier-grade NAT, multicast, reserved. */
const NON_PUBLIC = new BlockList();
for (const [network, prefix] of [
  ['0.0.0.0', 8], ['10.0.0.0', 8], ['100.64.0.0', 10], ['127.0.0.0', 8], ['169.254.0.0', 16], ['172.16.0.0', 12],
  ['192.0.0.0', 24], ['192.0.2.0', 24], ['192.88.99.0', 24], ['192.168.0.0', 16], ['198.18.0.0', 15], ['198.51.100.0', 24],
  ['203.0.113.0', 24], ['224.0.0.0', 4], ['240.0.0.0', 4],
] as const) NON_PUBLIC.addSubnet(network, prefix, 'ipv4');
for (const [network, prefix] of [
  ['::', 128], ['::1', 128], ['64:ff9b::', 96], ['100::', 64], ['2001:db8::', 32], ['fc00::', 7], ['fe80::', 10], ['fec0::', 10], ['ff00::', 8],
] as const) NON_PUBLIC.addSubnet(network, prefix, 'ipv6');

/** Whether an address (IPv4, IPv6, or IPv4 mapped into IPv6) is outside the public internet. */
export function isNonPublicAddress(address: string): boolean {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped) return NON_PUBLIC.check(mapped[1]!, 'ipv4');
  // The same written in hex groups, as URL parsing writes it: ::ffff:7f00:1 is 127.0.0.1.
  const hex = /^::ffff:([0-9a-f]{1,4}):([0-9a-f]{1,4})$/i.exec(address);
  if (hex) {
    const [high, low] = [parseInt(hex[1]!, 16), parseInt(hex[2]!, 16)];
    return NON_PUBLIC.check(`${high >> 8}.${high & 255}.${low >> 8}.${low & 255}`, 'ipv4');
  }
  const family = isIP(address);
  if (family === 0) return true;
  return NON_PUBLIC.check(address, family === 4 ? 'ipv4' : 'ipv6');
}

/** Why a URL cannot be a webhook, or null when its form is fine (its host's addresses are checked separately). */
export function webhookUrlProblem(raw: string, policy: WebhookAddressPolicy): string | null {
  if (raw.length > 2048) return 'must be at most 2048 characters';
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return 'must be an absolute URL such as https://partner.example/webhooks';
  }
  if (url.protocol !== 'https:' && !(policy.allowHttp && url.protocol === 'http:')) {
    return policy.allowHttp ? 'must be an http: or https: URL' : 'must be an https: URL';
  }
  if (url.username || url.password) return 'must not carry a user name or password; the signature authenticates deliveries';
  if (url.hash) return 'must not have a #fragment';
  const host = url.hostname.replace(/^\[|\]$/g, '');
  if (!policy.allowPrivateAddresses) {
    if (isIP(host) !== 0 && isNonPublicAddress(host)) return `must not point at a private, loopback or link-local address (${host})`;
    if (host === 'localhost' || host.endsWith('.localhost') || !host.includes('.')) return `must name a public host (${host} is local)`;
  }
  return null;
}

export type Resolve = (host: string) => Promise<readonly LookupAddress[]>;

export const resolveAll: Resolve = (host) =>
  new Promise((resolve, reject) => dnsLookup(host, { all: true, verbatim: true }, (error, addresses) => (error ? reject(error) : resolve(addresses))));

/**
 * The host's addresses, every one checked: a name that resolves to one public and one private
 * address is refused, since the connection could use either.
 */
export async function checkedAddresses(host: string, policy: WebhookAddressPolicy, resolve: Resolve = resolveAll): Promise<readonly LookupAddress[]> {
  const bare = host.replace(/^\[|\]$/g, '');
  const family = isIP(bare);
  const addresses = family !== 0 ? [{ address: bare, family }] : await resolve(bare);
  if (addresses.length === 0) throw new Error(`${host} has no address`);
  if (!policy.allowPrivateAddresses) {
    const refused = addresses.find((entry) => isNonPublicAddress(entry.address));
    if (refused) throw new Error(`${host} resolves to ${refused.address}, which is not a public address`);
  }
  return addresses;
}
