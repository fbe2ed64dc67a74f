import { readFileSync, readdirSync } from 'node:fs';
import { cpus } from 'node:os';
import { cpuTimeMs, ticksPerSecond } from './processCpu';

export interface CpuSnapshot {
  readonly at: number;
  /** CPU time every core spent busy since boot, in milliseconds. */
  readonly machineBusyMs: number;
  /** CPU time of this process and all its descendants (the services, PostgreSQL and its backends), ended ones included. */
  readonly oursMs: number;
}

/** Where there is no /proc (macOS), null: the report then says nothing about other work. */
export function cpuSnapshot(): CpuSnapshot | null {
  try {
    const fields = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).slice(1).map(Number);
    // user nice system idle iowait irq softirq steal: everything but idle and iowait is busy.
    const [user = 0, nice = 0, system = 0, , , irq = 0, softirq = 0, steal = 0] = fields;
    const machineBusyMs = ((user + nice + system + irq + softirq + steal) / ticksPerSecond()) * 1000;
    const oursMs = descendants(process.pid).reduce((sum, pid) => sum + (cpuTimeMs(pid, true) ?? 0), 0);
    return { at: Date.now(), machineBusyMs, oursMs };
  } catch {
    return null;
  }
}

/**
 * Share of the machine's CPU (0–1, all cores) that processes other than this
 * benchmark and the system it started used between two snapshots: other work
 * competing for the cores, which lowers every figure.
 */
export function otherWorkShare(before: CpuSnapshot | null, after: CpuSnapshot | null): number | null {
  if (!before || !after || after.at <= before.at) return null;
  const capacity = (after.at - before.at) * cpus().length;
  const other = after.machineBusyMs - before.machineBusyMs - (after.oursMs - before.oursMs);
  return Math.min(1, Math.max(0, other / capacity));
}

/** This process and every process below it, from each process's parent in /proc. */
function descendants(root: number): number[] {
  const children = new Map<number, number[]>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const parent = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      const list = children.get(parent) ?? [];
      list.push(Number(entry));
      children.set(parent, list);
    } catch {
      // the process ended while we looked
    }
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
