import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

const MIB = 1024 * 1024;
const SAMPLE_EVERY_MS = 200;

/** Reads a `kB` field of /proc/<pid>/status (Linux), in MiB. */
function procStatusMiB(pid: number, field: 'VmRSS' | 'VmHWM'): number | null {
  try {
    const match = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? (Number(match[1]) * 1024) / MIB : null;
  } catch {
    return null;
  }
}

/** Resident memory of a process now, in MiB (`ps` where there is no /proc). */
export function rssMiB(pid: number): number | null {
  const fromProc = procStatusMiB(pid, 'VmRSS');
  if (fromProc !== null) return fromProc;
  try {
    return (Number(execFileSync('ps', ['-o', 'rss=', '-p', String(pid)], { encoding: 'utf8' }).trim()) * 1024) / MIB;
  } catch {
    return null;
  }
}

/** The kernel's high-water mark of a process's resident memory since it started (Linux only). */
export function peakRssMiB(pid: number): number | null {
  return procStatusMiB(pid, 'VmHWM');
}

/** Samples a process's resident memory until stopped; `stop` returns the highest sample. */
export function sampleRss(pid: number): { stop(): number | null } {
  let peak: number | null = rssMiB(pid);
  const timer = setInterval(() => {
    const now = rssMiB(pid);
    if (now !== null && (peak === null || now > peak)) peak = now;
  }, SAMPLE_EVERY_MS);
  timer.unref();
  return {
    stop() {
      clearInterval(timer);
      return peak;
    },
  };
}
