import { z } from 'zod';
import { toCidr } from '../http/clientAddressResolver';

/** Raised at start-up when an environment variable is missing or malformed. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

type Env = Record<string, string | undefined>;

/**
 * Validates the environment against a zod object whose keys are variable
 * names. Any problem stops start-up with a message that names each bad
 * variable and says what was expected, e.g.
 * `PORT: expected a TCP port (0-65535; 0 picks a free one), got "http"`.
 */
export function parseEnv<S extends z.ZodObject>(schema: S, env: Env = process.env): z.infer<S> {
  const picked: Env = {};
  for (const key of Object.keys(schema.shape)) {
    const value = env[key];
    // An empty variable means "not set": `FOO= npm start` must not count as a value.
    picked[key] = value === undefined || value.trim() === '' ? undefined : value;
  }
  const result = schema.safeParse(picked);
  if (result.success) return result.data;
  const messages = result.error.issues.map((issue) => {
    const name = issue.path.join('.');
    const got = picked[name];
    return `${name}: ${issue.message}${got === undefined ? ' (not set)' : `, got ${JSON.stringify(got)}`}`;
  });
  throw new ConfigError(`Invalid configuration:\n  ${messages.join('\n  ')}`);
}

/** Reusable variable types with messages a person can act on. */
const PORT_MESSAGE = { message: 'expected a TCP port (0-65535; 0 picks a free one)' };
const port = () => z.coerce.number(PORT_MESSAGE).int(PORT_MESSAGE).min(0, PORT_MESSAGE).max(65535, PORT_MESSAGE);

export const env = {
  port: (fallback: number) => port().default(fallback),
  optionalPort: () => port().optional(),
  url: () =>
    z.url({ protocol: /^https?$/, message: 'expected an absolute http(s) URL such as http://localhost:4001/graphql' }),
  postgresUrl: () =>
    z
      .string()
      .regex(/^postgres(ql)?:\/\/.+/, { message: 'expected a postgres://user:password@host:port/database URL' }),
  boolean: (fallback: boolean) =>
    z
      .enum(['true', 'false', '1', '0', 'yes', 'no'], { message: 'expected true or false' })
      .transform((v) => v === 'true' || v === '1' || v === 'yes')
      .default(fallback),
  positiveInt: (fallback: number) =>
    z.coerce.number({ message: 'expected a positive whole number' }).int().positive().default(fallback),
  /** A whole number from 0 up where 0 means something of its own, said in the message (e.g. `0 turns the cap off`). */
  wholeNumber: (fallback: number, zeroMeans: string) => {
    const message = { message: `expected a whole number (${zeroMeans})` };
    return z.coerce.number(message).int(message).min(0, message).default(fallback);
  },
  /** Comma-separated IP addresses and CIDR blocks (`127.0.0.1/32,::1/128,10.0.0.0/8`), as CIDR blocks; unset: none. */
  cidrList: () =>
    z
      .string()
      .transform((text, context) => {
        const entries = text.split(',').map((entry) => entry.trim()).filter(Boolean);
        const bad = entries.filter((entry) => toCidr(entry) === null);
        if (bad.length > 0) {
          context.addIssue({
            code: 'custom',
            message: `expected IP addresses or CIDR blocks separated by commas, such as 127.0.0.1/32,::1/128,10.0.0.0/8; not an address or block: ${bad.map((entry) => JSON.stringify(entry)).join(', ')}`,
          });
          return z.NEVER;
        }
        return entries.map((entry) => toCidr(entry)!);
      })
      .default([]),
  /** A variable no longer read: setting it stops start-up with `instead`, what to set now. */
  retired: (instead: string) => z.undefined({ message: `no longer read; ${instead}` }),
  logLevel: () => z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  nodeEnv: () => z.enum(['development', 'production', 'test']).default('development'),
};
