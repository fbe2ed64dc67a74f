import { execFileSync } from 'node:child_process';
import { cpus, loadavg, release, totalmem, type as osType } from 'node:os';

export interface MachineDescription {
  readonly cpuModel: string;
  readonly cores: number;
  readonly memoryGiB: number;
  readonly node: string;
  readonly os: string;
  /** 1-, 5- and 15-minute load averages. */
  readonly loadAverage: readonly number[];
  /** The busiest processes at that moment, as `ps` shows them. */
  readonly busiest: readonly string[];
}

/** What the machine is and how busy it is right now: the report says both. */
export function describeMachine(): MachineDescription {
  return {
    cpuModel: cpus()[0]?.model.trim() ?? 'unknown',
    cores: cpus().length,
    memoryGiB: Math.round((totalmem() / 1024 ** 3) * 10) / 10,
    node: process.version,
    os: `${osType()} ${release()}`,
    loadAverage: loadavg().map((value) => Math.round(value * 100) / 100),
    busiest: busiestProcesses(),
  };
}

function busiestProcesses(): string[] {
  try {
    const lines = execFileSync('ps', ['-eo', 'pcpu,etime,args', '--sort=-pcpu'], { encoding: 'utf8' }).trim().split('\n');
    return lines.slice(1, 6).map((line) => line.trim().replace(/\s+/g, ' ').slice(0, 140));
  } catch {
    return [];
  }
}
