import type { ServicePids, TestSystemDescription } from '../testSystem';

/** Marks the private system's protocol lines among the log lines its process also prints. */
export const PROTOCOL_PREFIX = '@@private-system ';

export type PrivateSystemCommand =
  | { command: 'stopService'; service: string }
  | { command: 'startService'; service: string }
  | { command: 'stopPostgres'; owner: string }
  | { command: 'startPostgres'; owner: string };

export type PrivateSystemMessage =
  | { kind: 'ready'; description: TestSystemDescription; pids: ServicePids }
  | { kind: 'done'; id: number; result: unknown }
  | { kind: 'failed'; id: number; error: string };
