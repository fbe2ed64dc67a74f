import { relative } from 'node:path';
import {
  PROVINCE_KEYS, PROVINCES, isPlaceholderSecret, isProvinceKey, provisionDatabase, runMigrationCommand, type ProvinceKey,
} from '../../shared/src';
import { createAdminAccount, createPlatformDataSource, registerPartnerClient } from '../../subgraphs/platform/src';
import { NATIONAL_CATEGORIES_FILE, createProvinceDataSource, loadCategories, readCategoryFile } from '../../subgraphs/province/src';
import { readSecret } from './readSecret';

type Owner = 'platform' | ProvinceKey;
const OWNERS: readonly Owner[] = ['platform', ...PROVINCE_KEYS];

export interface CommandInput {
  readonly positionals: readonly string[];
  readonly options: Readonly<Record<string, string | boolean | undefined>>;
  readonly env: Readonly<Record<string, string | undefined>>;
  /** What each variable the command reads is (its `environment`), for the messages. */
  readonly environment: Readonly<Record<string, string>>;
  /** Writes one line of the command's report to stdout. */
  readonly say: (line: string) => void;
}

export interface AdminCommand {
  readonly name: string;
  /** Arguments after the command's name, for the usage line. */
  readonly arguments: string;
  readonly summary: string;
  /** Environment variables the command reads, and what each is. */
  readonly environment: Readonly<Record<string, string>>;
  readonly options: Readonly<Record<string, { readonly type: 'string' | 'boolean'; readonly description: string }>>;
  run(input: CommandInput): Promise<void>;
}

/** The one positional argument a command takes, checked against what it may be. */
function onlyArgument(input: CommandInput, what: string, allowed?: readonly string[]): string {
  const [value, ...rest] = input.positionals;
  if (!value) throw new Error(`expected ${what}${allowed ? ` (${allowed.join(', ')})` : ''}`);
  if (rest.length > 0) throw new Error(`unexpected argument ${JSON.stringify(rest[0])}; only ${what} is taken`);
  if (allowed && !allowed.includes(value)) throw new Error(`expected ${what} (${allowed.join(', ')}), got ${JSON.stringify(value)}`);
  return value;
}

const ownerArgument = (input: CommandInput) => onlyArgument(input, 'an owner', OWNERS) as Owner;
const provinceArgument = (input: CommandInput) => onlyArgument(input, 'a province', PROVINCE_KEYS) as ProvinceKey;

/** A PostgreSQL URL from the environment; never echoed, as it holds a password. */
function databaseUrl(input: CommandInput, variable: string): string {
  const value = input.env[variable]?.trim();
  if (!value) throw new Error(`${variable} is not set: ${input.environment[variable]}`);
  if (!/^postgres(ql)?:\/\/.+/.test(value)) throw new Error(`${variable}: expected a postgres://user:password@host:port/database URL`);
  return value;
}

function stringOption(input: CommandInput, name: string): string | undefined {
  const value = input.options[name];
  return typeof value === 'string' ? value : undefined;
}

function requiredOption(input: CommandInput, name: string, example: string): string {
  const value = stringOption(input, name);
  if (!value) throw new Error(`--${name} is required, e.g. --${name} ${example}`);
  return value;
}

const SQL_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

function sqlName(input: CommandInput, option: string, fallback: string): string {
  const name = stringOption(input, option) ?? fallback;
  if (!SQL_NAME.test(name)) throw new Error(`--${option}: expected lower-case letters, digits and _ (at most 63, not starting with a digit), got ${JSON.stringify(name)}`);
  return name;
}

const createDatabase: AdminCommand = {
  name: 'create-database',
  arguments: `<${OWNERS.join('|')}>`,
  summary: "create the owner's role and its database, closed to every other role (idempotent; sets the role's password)",
  environment: {
    SUPERUSER_DATABASE_URL: 'a role that may create roles and databases, e.g. postgres://postgres:…@db:5432/postgres',
    DATABASE_PASSWORD: "the owner role's password (asked for when unset)",
  },
  options: {
    database: { type: 'string', description: 'the database name (default shuangcheng_<owner>)' },
    role: { type: 'string', description: "the owner's role (default <owner>_svc)" },
  },
  async run(input) {
    const owner = ownerArgument(input);
    const database = sqlName(input, 'database', `shuangcheng_${owner}`);
    const role = sqlName(input, 'role', `${owner}_svc`);
    const superuserUrl = databaseUrl(input, 'SUPERUSER_DATABASE_URL');
    const password = await readSecret(input.env, 'DATABASE_PASSWORD', `password for the role ${role}`);
    if (password.length < 16) throw new Error('DATABASE_PASSWORD: must be at least 16 characters');
    if (isPlaceholderSecret(password)) throw new Error('DATABASE_PASSWORD: is a placeholder ("change-me"); choose a real password');
    const url = new URL(await provisionDatabase(superuserUrl, { database, role, password }));
    input.say(`${owner}: database ${database} is ready, owned by the role ${role}; no other role may connect to it.`);
    input.say(`Give the ${owner} service DATABASE_URL=${url.protocol}//${role}:<password>@${url.host}/${database}${url.search}`);
  },
};

const migrate: AdminCommand = {
  name: 'migrate',
  arguments: `<${OWNERS.join('|')}>`,
  summary: "apply the owner's pending migrations (idempotent)",
  environment: { DATABASE_URL: "the owner's database, as its service is given it" },
  options: { revert: { type: 'boolean', description: 'undo the last migration instead' } },
  async run(input) {
    const owner = ownerArgument(input);
    const url = databaseUrl(input, 'DATABASE_URL');
    const dataSource = owner === 'platform' ? createPlatformDataSource(url, 1) : createProvinceDataSource(PROVINCES[owner], url, 1);
    await runMigrationCommand(owner, dataSource, input.options['revert'] ? ['--revert'] : []);
  },
};

const loadCategoriesCommand: AdminCommand = {
  name: 'load-categories',
  arguments: `<${PROVINCE_KEYS.join('|')}>`,
  summary: 'add or rename instrument categories by code, from a JSON file (idempotent; categories not in the file are kept)',
  environment: { DATABASE_URL: "the province's database" },
  options: {
    file: { type: 'string', description: `[{ "code", "nameEn", "nameZh" }, …] (default: ${relative(process.cwd(), NATIONAL_CATEGORIES_FILE)}, the national classification's 13 classes)` },
  },
  async run(input) {
    const province = provinceArgument(input);
    const file = stringOption(input, 'file') ?? NATIONAL_CATEGORIES_FILE;
    // The whole file is checked before the database is touched.
    const categories = readCategoryFile(file);
    const result = await loadCategories(PROVINCES[province], databaseUrl(input, 'DATABASE_URL'), categories);
    input.say(`${province}: ${categories.length} categories from ${relative(process.cwd(), file)}: ${result.added.length} added, ${result.updated.length} renamed, ${result.unchanged.length} unchanged.`);
  },
};

const createAdmin: AdminCommand = {
  name: 'create-admin',
  arguments: '<username>',
  summary: 'create the first admin account: a province admin (--province) or a platform admin (--platform) (idempotent)',
  environment: {
    DATABASE_URL: "the platform's database (accounts live there, for both provinces)",
    ADMIN_PASSWORD: "the account's password, at least 12 characters (asked for when unset)",
  },
  options: {
    province: { type: 'string', description: `the province it administers (${PROVINCE_KEYS.join(', ')})` },
    platform: { type: 'boolean', description: 'a platform admin instead' },
    name: { type: 'string', description: 'the display name, e.g. "Sichuan Registry Admin"' },
  },
  async run(input) {
    const username = onlyArgument(input, 'a username');
    const province = stringOption(input, 'province');
    if (!!province === !!input.options['platform']) throw new Error(`give either --province <${PROVINCE_KEYS.join('|')}> or --platform`);
    if (province !== undefined && !isProvinceKey(province)) throw new Error(`--province: expected ${PROVINCE_KEYS.join(' or ')}, got ${JSON.stringify(province)}`);
    const displayName = requiredOption(input, 'name', '"Sichuan Registry Admin"');
    const url = databaseUrl(input, 'DATABASE_URL');
    const password = await readSecret(input.env, 'ADMIN_PASSWORD', `password for ${username}`);
    const result = await createAdminAccount(url, { username, displayName, province: province ?? null, password });
    const what = province ? `province admin of ${province}` : 'platform admin';
    input.say(result.status === 'created' ? `created ${result.username}, ${what}.` : `${result.username} already exists as ${what}; left as it is (password unchanged).`);
  },
};

const registerClient: AdminCommand = {
  name: 'register-client',
  arguments: '<client-id>',
  summary: 'register a partner client; its secret is printed once and only its hash is kept (idempotent)',
  environment: { DATABASE_URL: "the platform's database" },
  options: {
    name: { type: 'string', description: 'the partner, e.g. "Chengdu Testing Centre"' },
    scopes: { type: 'string', description: 'comma- or space-separated, among catalog:read, card:verify' },
    contact: { type: 'string', description: 'who answers for the client, e.g. "Wang Fang <it@cdtc.example>"' },
    purpose: { type: 'string', description: 'what the client uses the data for' },
    days: { type: 'string', description: 'days until the registration expires (default 365)' },
  },
  async run(input) {
    const clientId = onlyArgument(input, 'a client id');
    const name = requiredOption(input, 'name', '"Chengdu Testing Centre"');
    const scopes = requiredOption(input, 'scopes', 'catalog:read,card:verify').split(/[\s,]+/).filter(Boolean);
    const contact = stringOption(input, 'contact');
    const purpose = stringOption(input, 'purpose');
    const days = stringOption(input, 'days');
    if (days !== undefined && !/^[1-9]\d{0,3}$/.test(days)) throw new Error(`--days: expected a whole number of days, got ${JSON.stringify(days)}`);
    const result = await registerPartnerClient(databaseUrl(input, 'DATABASE_URL'), {
      clientId, name, scopes,
      ...(contact !== undefined ? { contact } : {}),
      ...(purpose !== undefined ? { purpose } : {}),
      ...(days !== undefined ? { expiresAt: new Date(Date.now() + Number(days) * 86_400_000) } : {}),
    });
    if (result.status === 'unchanged') {
      input.say(`${result.clientId} is already registered with scopes ${result.scopes.join(' ')}; left as it is (its secret was shown when it was registered).`);
      return;
    }
    input.say(`registered ${result.clientId} with scopes ${result.scopes.join(' ')}.`);
    input.say('Its secret, shown only now (store it; only its hash is kept):');
    input.say(`client secret: ${result.secret}`);
  },
};

/** `npm run admin -- <command>`: in the order a deployment runs them. */
export const ADMIN_COMMANDS: readonly AdminCommand[] = [createDatabase, migrate, loadCategoriesCommand, createAdmin, registerClient];
