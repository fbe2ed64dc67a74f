import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { connect } from 'node:net';
import { until } from '../../support/until';

/** Debian's redis-server (`apt-get install redis-server`; `.ci/run` installs it), or the one REDIS_SERVER names. */
function redisServerBinary(): string {
  const binary = process.env['REDIS_SERVER'] ?? '/usr/bin/redis-server';
  if (!existsSync(binary)) throw new Error(`${binary} not found: install Debian's redis-server (apt-get install redis-server) or set REDIS_SERVER`);
  return binary;
}

/** A throw-away Redis on 127.0.0.1 (nothing written to disk) that a test can stop and start again on the same port. */
export class RedisServer {
  private process: ChildProcess | undefined;

  constructor(readonly port: number) {}

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  async start(): Promise<void> {
    this.process = spawn(redisServerBinary(), ['--port', String(this.port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], {
      stdio: 'ignore',
    });
    await until(`redis-server answering on port ${this.port}`, () => answersPing(this.port), 10_000);
  }

  async stop(): Promise<void> {
    const running = this.process;
    this.process = undefined;
    if (!running || running.exitCode !== null) return;
    await new Promise<void>((resolve) => {
      running.once('exit', () => resolve());
      running.kill('SIGTERM');
    });
  }
}

/** Whether something on the port answers Redis' PING with +PONG. */
function answersPing(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    const done = (answer: boolean) => {
      socket.destroy();
      resolve(answer);
    };
    socket.setTimeout(500, () => done(false));
    socket.once('error', () => done(false));
    socket.once('connect', () => socket.write('PING\r\n'));
    socket.once('data', (data) => done(data.toString().startsWith('+PONG')));
  });
}
