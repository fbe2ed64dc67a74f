import { isIP } from 'node:net';
import { clientAddressResolver, presentsGatewaySecret, type RequestHead } from '../../../../shared/src';
import type { PlatformConfig } from '../config';

/**
 * The address of whoever is signing in. The gateway writes its caller's
 * address into `x-forwarded-for`, which is believed only from the gateway: a
 * peer among TRUSTED_PROXIES that also presents GATEWAY_SECRET when the
 * platform has one. The address alone cannot tell the gateway apart where every
 * local process shares it (`npm start` runs on 127.0.0.1); anyone else is
 * counted by their socket address.
 */
export function platformClientAddress(config: Pick<PlatformConfig, 'trustedProxies' | 'gatewaySecret'>): (req: RequestHead) => string {
  const throughGateway = clientAddressResolver(config.trustedProxies);
  const direct = clientAddressResolver([]);
  const { gatewaySecret } = config;
  if (!gatewaySecret) return throughGateway;
  return (req) => (presentsGatewaySecret(req, gatewaySecret) ? throughGateway(req) : direct(req));
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
