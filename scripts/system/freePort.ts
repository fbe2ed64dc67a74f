import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';

/**
 * Where free ports are looked for: below the kernel's ephemeral range, which
 * outgoing connections and `listen(0)` draw from. A port picked from that
 * range and released could be taken by any client connection (the test suite
 * opens thousands) before the service that was meant to get it binds it.
 */
function candidateRange(): { low: number; high: number } {
  let ephemeralLow = 32_768;
  try {
    ephemeralLow = Number(readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/)[0]) || ephemeralLow;
  } catch {
    // Not Linux: the IANA ephemeral range starts at 49152, and below it is as good.
    ephemeralLow = 49_152;
  }
  return { low: 20_000, high: Math.max(20_001, ephemeralLow - 1) };
}

const RANGE = candidateRange();

/** Whether the port can be bound on 127.0.0.1 right now. */
function isFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

/**
 * Ports this process handed out: each stays its service's, even while that service is stopped (the launcher stops the
 * development gateway, then picks the production services' admin ports, then starts the gateway again on its own
 * port, which a pick may not take meanwhile). A few thousand of the range's twelve thousand at most, in a test worker.
 */
const handedOut = new Set<number>();

/**
 * A TCP port that was free a moment ago and not handed out before, for a service that must know its neighbours'
 * ports before they start: a random one below the ephemeral range (see candidateRange), so only another process
 * calling this function could take it meanwhile, and the random pick makes that unlikely.
 */
export async function freePort(): Promise<number> {
  for (let attempt = 0; attempt < 100; attempt += 1) {
    const port = RANGE.low + Math.floor(Math.random() * (RANGE.high - RANGE.low + 1));
    if (handedOut.has(port) || !(await isFree(port))) continue;
    handedOut.add(port);
    return port;
  }
  throw new Error(`no free port found between ${RANGE.low} and ${RANGE.high}`);
}
