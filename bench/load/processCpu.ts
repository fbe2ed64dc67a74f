import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

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
