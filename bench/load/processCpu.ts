import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

let ticksPerSecond: number | undefined;

/** CPU time (user + system) a process has used so far, in milliseconds; null where there is no /proc. */
export function cpuTimeMs(pid: number): number | null {
  try {
    // Fields after the command name (which may hold spaces) start at the last ')'.
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const ticks = Number(fields[11]) + Number(fields[12]);
    ticksPerSecond ??= Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
    return (ticks / ticksPerSecond) * 1000;
  } catch {
    return null;
  }
}
