import { ConfigError } from '../parseEnv';
import { isPlaceholderSecret, refusePlaceholderSecrets } from '../placeholderSecrets';

const refusal = (vars: Record<string, unknown>): string => {
  try {
    refusePlaceholderSecrets(vars);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as Error).message;
  }
  throw new Error('expected the variables to be refused');
};

describe('refusePlaceholderSecrets', () => {
  it.each([
    ['GATEWAY_SECRET', 'change-me-to-a-long-random-shared-secret'],
    ['JWT_SIGNING_KEY', 'CHANGE_ME'],
    ['SMTP_PASSWORD', 'changeme'],
  ])('refuses %s holding the placeholder %j, naming the variable and never the value', (name, value) => {
    const message = refusal({ [name]: value, PORT: 4000 });
    expect(message).toMatch(new RegExp(`^${name}: still the placeholder of deploy/\\*\\.env\\.example, refused in production`));
    expect(message).not.toContain(value);
  });

  it.each([
    ['DATABASE_URL', 'postgres://sichuan_svc:change-me@sichuan-db:5432/shuangcheng_sichuan'],
    ['REDIS_URL', 'redis://default:change-me@redis:6379'],
  ])('refuses %s whose password is the placeholder', (name, value) => {
    expect(refusal({ [name]: value })).toMatch(new RegExp(`^${name}: its password is still the placeholder`));
  });

  it('names every variable at fault, one a line', () => {
    const message = refusal({
      GATEWAY_SECRET: 'change-me-to-a-long-random-shared-secret',
      DATABASE_URL: 'postgres://platform_svc:change-me@platform-db:5432/shuangcheng_platform',
    });
    expect(message.split('\n').map((line) => line.split(':')[0])).toEqual(['GATEWAY_SECRET', 'DATABASE_URL']);
  });

  it('accepts real secrets, and placeholders-looking text where no secret is kept', () => {
    expect(() => refusePlaceholderSecrets({
      GATEWAY_SECRET: 'kS9v2q0Zr7uXcW4mYp1TqLbN',
      DATABASE_URL: 'postgres://sichuan_svc:kS9v2q0Zr7uXcW4m@change-me.internal:5432/shuangcheng_sichuan',
      JWT_SIGNING_KEY_FILE: '/run/secrets/change-me.pem',
      JWT_ISSUER: 'https://change-me.example',
      MAX_PAGE_SIZE: 100,
    })).not.toThrow();
  });

  it('knows a placeholder in any spelling the examples could suggest', () => {
    expect(['change-me', 'Change_Me', 'changeme-please', 'CHANGE ME'].every(isPlaceholderSecret)).toBe(true);
    expect(['exchange-meter', 'changemessage', 'kS9v2q0Zr7uXcW4m'].some(isPlaceholderSecret)).toBe(false);
  });
});
