import { ConfigError } from './parseEnv';

/** What the committed `deploy/*.env.example` files put where a secret goes: `change-me`, `change-me-to-a-long-random-shared-secret`. */
const PLACEHOLDER = /(?<![a-z])change[-_ ]?me(?![a-z])/i;
/** Variables that hold a secret themselves (`GATEWAY_SECRET`, `JWT_SIGNING_KEY`, `WEBHOOK_SECRET_KEYS`, `…_PASSWORD`, `…_TOKEN`); `…_FILE` only names where one is. */
const SECRET_NAME = /(SECRET|PASSWORD|TOKEN|KEYS?)$/;

/** True when `value` is, or holds, a placeholder rather than a real secret. */
export function isPlaceholderSecret(value: string): boolean {
  return PLACEHOLDER.test(value);
}

/** Why one variable's value holds a placeholder secret, or undefined when it does not. */
function placeholderIn(name: string, value: string): string | undefined {
  if (SECRET_NAME.test(name) && isPlaceholderSecret(value)) {
    return `${name}: still the placeholder of deploy/*.env.example, refused in production (NODE_ENV=production); set a long random secret (e.g. openssl rand -base64 32)`;
  }
  const password = passwordOfUrl(value);
  if (password !== undefined && isPlaceholderSecret(password)) {
    return `${name}: its password is still the placeholder of deploy/*.env.example, refused in production (NODE_ENV=production); set the real one`;
  }
  return undefined;
}

function passwordOfUrl(value: string): string | undefined {
  if (!/^[a-z][a-z0-9+.-]*:\/\//i.test(value)) return undefined;
  try {
    const password = new URL(value).password;
    return password ? decodeURIComponent(password) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Refuses production start-up while any variable the service read still holds a placeholder secret
 * copied from the example env files: a secret variable whose value is one, or a URL (`DATABASE_URL`,
 * `REDIS_URL`) whose password is one. The message names each variable, never its value.
 */
export function refusePlaceholderSecrets(vars: Readonly<Record<string, unknown>>): void {
  const problems = Object.entries(vars).flatMap(([name, value]) => {
    const problem = typeof value === 'string' ? placeholderIn(name, value) : undefined;
    return problem ? [problem] : [];
  });
  if (problems.length > 0) throw new ConfigError(problems.join('\n'));
}
