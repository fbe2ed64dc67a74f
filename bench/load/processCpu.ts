import { execFileSync } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';

let ticks: number | undefined;

/** Clock ticks per second of /proc's CPU times (USER_HZ, 100 on Linux). */
export function ticksPerSecond(): number {
  ticks ??= Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
  return ticks;
}

/**
 * CPU time (user + system) a process has used so far, in milliseconds; with
 * `withEndedChildren`, also that of its children that have ended (a database
 * backend that closes keeps counting for its server). Null where there is no /proc.
 */
export function cpuTimeMs(pid: number, withEndedChildren = false): number | null {
  try {
    // Fields after the command name (which may hold spaces) start at the last ')': utime, stime, cutime, cstime are 11–14.
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ').map(Number);
    const ticks = fields[11]! + fields[12]! + (withEndedChildren ? fields[13]! + fields[14]! : 0);
    return (ticks / ticksPerSecond()) * 1000;
  } catch {
    return null;
  }
}

/**
 * CPU time of a process and every process below it, ended ones included: a
 * PostgreSQL server with its backends, whose time reaches the server's own
 * figures only once a backend ends.
 */
export function treeCpuTimeMs(root: number): number | null {
  const own = cpuTimeMs(root, true);
  if (own === null) return null;
  return descendants(root).filter((pid) => pid !== root).reduce((sum, pid) => sum + (cpuTimeMs(pid, true) ?? 0), own);
}

/** This process and every process below it, from each process's parent in /proc. */
export function descendants(root: number): number[] {
  const children = new Map<number, number[]>();
  for (const { pid, parent } of processes()) {
    const list = children.get(parent) ?? [];
    list.push(pid);
    children.set(parent, list);
  }
  const found: number[] = [];
  const queue = [root];
  while (queue.length) {
    const pid = queue.pop()!;
    found.push(pid);
    queue.push(...(children.get(pid) ?? []));
  }
  return found;
}

/** The PostgreSQL servers (postmasters) among `root`'s descendants: `postgres` processes whose parent is not one. */
export function postgresServers(root: number): number[] {
  const all = new Map(processes().map((entry) => [entry.pid, entry]));
  return descendants(root).filter((pid) => all.get(pid)?.command === 'postgres' && all.get(all.get(pid)!.parent)?.command !== 'postgres');
}

function processes(): { pid: number; parent: number; command: string }[] {
  const found: { pid: number; parent: number; command: string }[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const command = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
      const parent = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      found.push({ pid: Number(entry), parent, command });
    } catch {
      // the process ended while we looked
    }
  }
  return found;
}

/**
 * Waits until the system's processes (`pids`: services and the PostgreSQL server with its backends) together use
 * less than `share` of one core over `windowMs`: work left over from start-up or the scenario before (a sweep, a
 * backlog of notifications) would otherwise be counted against the next scenario. Gives up after `timeoutMs` and
 * says how long it waited and whether it settled.
 */
export async function waitUntilSettled(
  pids: readonly number[],
  { share = 0.05, windowMs = 500, timeoutMs = 30_000 }: { share?: number; windowMs?: number; timeoutMs?: number } = {},
): Promise<{ waitedMs: number; settled: boolean; lastShare: number }> {
  const started = Date.now();
  const total = () => pids.reduce((sum, pid) => sum + (treeCpuTimeMs(pid) ?? 0), 0);
  let lastShare = Infinity;
  while (Date.now() - started < timeoutMs) {
    const before = total();
    const from = Date.now();
    await new Promise((resolve) => setTimeout(resolve, windowMs));
    lastShare = (total() - before) / Math.max(1, Date.now() - from);
    if (lastShare < share) return { waitedMs: Date.now() - started, settled: true, lastShare };
  }
  return { waitedMs: Date.now() - started, settled: false, lastShare };
}
