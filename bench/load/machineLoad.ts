import { readFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { cpuTimeMs, descendants, ticksPerSecond } from './processCpu';

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

let fastestProbeMs = Number.POSITIVE_INFINITY;

/**
 * How much slower than its best this machine runs a fixed piece of work right
 * now (1 = as fast as ever seen in this run), once the system under test is
 * idle. Catches what the CPU shares cannot: a virtual machine slowed by its
 * neighbours on the same host.
 */
export async function slowdown(): Promise<number> {
  await ourProcessesQuiet();
  // The quickest of three tries, so one garbage collection or timer does not count as a slow machine.
  let ms = Number.POSITIVE_INFINITY;
  for (let attempt = 0; attempt < 3; attempt += 1) ms = Math.min(ms, probeMs());
  fastestProbeMs = Math.min(fastestProbeMs, ms);
  return ms / fastestProbeMs;
}

function probeMs(): number {
  const started = process.hrtime.bigint();
  let hash = 0;
  for (let i = 0; i < 6_000_000; i += 1) hash = (hash * 31 + i) | 0;
  return Number(process.hrtime.bigint() - started) / 1e6 + (hash === 42 ? 1e-9 : 0);
}

// Compiled before the first measurement, so the first probe is not the slow, unoptimised one.
for (let i = 0; i < 3; i += 1) probeMs();

/** Waits (at most 15 s) until the benchmark's own processes use under a tenth of a core: requests still in flight would slow the probe. */
async function ourProcessesQuiet(): Promise<void> {
  const deadline = Date.now() + 15_000;
  let previous = cpuSnapshot();
  while (previous && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 250));
    const now = cpuSnapshot();
    if (!now) return;
    if ((now.oursMs - previous.oursMs) / (now.at - previous.at) < 0.1) return;
    previous = now;
  }
}
