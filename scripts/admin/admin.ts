/**
 * `npm run admin -- <command> [arguments]`: what an operator runs to take an empty PostgreSQL to a serving
 * registry, without the demo data: create each owner's database, migrate it, load a province's instrument
 * categories, create the first admin account and register partner clients. `--help` lists the commands.
 * Bad input ends with one line on stderr and exit code 1; nothing is half-written.
 */
import { parseArgs } from 'node:util';
import { ADMIN_COMMANDS, type AdminCommand } from './adminCommands';

const USAGE = 'usage: npm run admin -- <command> [arguments] [--help]';

function overview(): string {
  const width = Math.max(...ADMIN_COMMANDS.map((command) => `${command.name} ${command.arguments}`.length));
  return [
    USAGE,
    '',
    'Bootstraps a production deployment (README, "Running in production"), in this order:',
    ...ADMIN_COMMANDS.map((command) => `  ${`${command.name} ${command.arguments}`.padEnd(width)}  ${command.summary}`),
    '',
    'Each reads its databases from environment variables; secrets are read from the variable named, or asked for,',
    'and never printed. `npm run admin -- <command> --help` says what a command reads.',
  ].join('\n');
}

function help(command: AdminCommand): string {
  const width = Math.max(...[...Object.keys(command.options), ...Object.keys(command.environment)].map((name) => name.length + 2));
  return [
    `usage: npm run admin -- ${command.name} ${command.arguments}${Object.keys(command.options).map((name) => ` [--${name}${command.options[name]!.type === 'string' ? ' …' : ''}]`).join('')}`,
    '',
    command.summary,
    '',
    'environment:',
    ...Object.entries(command.environment).map(([name, meaning]) => `  ${name.padEnd(width)}  ${meaning}`),
    ...(Object.keys(command.options).length > 0 ? ['options:'] : []),
    ...Object.entries(command.options).map(([name, option]) => `  ${`--${name}`.padEnd(width)}  ${option.description}`),
  ].join('\n');
}

/** One line a person can act on, from any error: no stack, the driver's inner error when it wraps several. */
function describe(error: unknown): string {
  const inner = error instanceof AggregateError && error.errors.length > 0 ? error.errors[0] : error;
  const { message, code } = inner instanceof Error ? (inner as Error & { code?: string }) : { message: String(inner), code: undefined };
  const hint: Record<string, string> = {
    ECONNREFUSED: 'is PostgreSQL running there? check the host and port of the URL',
    ENOTFOUND: 'check the host of the URL',
    '3D000': 'create it first with `npm run admin -- create-database <owner>`',
    '42501': 'the role in the URL lacks the privilege: SUPERUSER_DATABASE_URL must name a role that may create roles and databases',
  };
  const text = message.split('\n').map((line) => line.trim()).filter(Boolean).join(' ') || code || 'unknown error';
  return code && hint[code] ? `${text} (${hint[code]})` : text;
}

async function main(argv: readonly string[]): Promise<void> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h') {
    (name ? process.stdout : process.stderr).write(`${overview()}\n`);
    process.exitCode = name ? 0 : 1;
    return;
  }
  const command = ADMIN_COMMANDS.find((candidate) => candidate.name === name);
  if (!command) throw new Error(`unknown command ${JSON.stringify(name)}; the commands are ${ADMIN_COMMANDS.map((c) => c.name).join(', ')} (--help)`);
  const parsed = parseArgs({
    args: [...rest],
    options: { ...command.options, help: { type: 'boolean', short: 'h' } },
    allowPositionals: true,
    strict: true,
  });
  if (parsed.values['help']) {
    process.stdout.write(`${help(command)}\n`);
    return;
  }
  await command.run({ positionals: parsed.positionals, options: parsed.values, env: process.env, environment: command.environment, say: (line) => process.stdout.write(`${line}\n`) });
}

main(process.argv.slice(2)).catch((error: unknown) => {
  const command = ADMIN_COMMANDS.some((candidate) => candidate.name === process.argv[2]) ? ` ${process.argv[2]}` : '';
  process.stderr.write(`admin${command}: ${describe(error)}\n`);
  process.exit(1);
});
