import { spawn } from 'node:child_process';
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { freePort, spawnService, type ChildService } from '../../scripts/system';
import { graphql } from '../support/system';
import { testCluster } from '../support/testCluster';

/**
 * A provincial team's first deployment, as README "Running in production" tells it: from an empty
 * PostgreSQL (a database cluster and its superuser) to a serving Sichuan registry with its first admin
 * and a partner client. Every step is a real process: the `npm run admin` commands, then the platform
 * and Sichuan subgraphs in production mode on the databases those commands made.
 */
const REPO_ROOT = join(__dirname, '..', '..');
/** Names of this file's own (the test cluster's templates keep the default `sichuan_svc`…, which other files use). */
const NAMES = {
  platform: { database: `first_day_platform_${process.pid}`, role: `first_day_platform_${process.pid}_svc`, password: `platform-${randomBytes(12).toString('hex')}` },
  sichuan: { database: `first_day_sichuan_${process.pid}`, role: `first_day_sichuan_${process.pid}_svc`, password: `sichuan-${randomBytes(12).toString('hex')}` },
};
const ADMIN = { username: 'sc.registry', password: `admin-${randomBytes(12).toString('hex')}` };
const GATEWAY_SECRET = randomBytes(24).toString('base64url');

let workDir: string;
const services: ChildService[] = [];

beforeAll(() => {
  workDir = mkdtempSync(join(tmpdir(), 'shuangcheng-first-day-'));
});

afterAll(async () => {
  for (const service of services.reverse()) await service.stop();
  rmSync(workDir, { recursive: true, force: true });
});

interface Finished {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** One run of `npm run admin -- <args>` (its entry, without npm's banner), `input` piped to its stdin. */
function admin(args: readonly string[], env: Record<string, string> = {}, input = ''): Promise<Finished> {
  return finished(spawn(process.execPath, ['--import', 'tsx', 'scripts/admin/admin.ts', ...args], {
    cwd: REPO_ROOT,
    // Nothing of the jest process's database settings may leak in: each run gets exactly what the step names.
    env: { PATH: process.env['PATH'] ?? '', HOME: process.env['HOME'] ?? workDir, ...env },
    stdio: ['pipe', 'pipe', 'pipe'],
  }), input);
}

function finished(child: ReturnType<typeof spawn>, input = ''): Promise<Finished> {
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  child.stdin?.end(input);
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

const superuser = () => ({ SUPERUSER_DATABASE_URL: testCluster().postgresAdminUrl });
/** The URL the team writes into the service's DATABASE_URL, as create-database printed it, with the password filled in. */
const databaseUrlOf = (printed: string, password: string) => {
  const url = /DATABASE_URL=(\S+)/.exec(printed)?.[1];
  if (!url) throw new Error(`create-database printed no DATABASE_URL:\n${printed}`);
  return url.replace('<password>', password);
};
const urls = { platform: '', sichuan: '' };
let clientSecret = '';

/** A refusal a person can act on: exit code 1, one line on stderr, no stack trace, nothing on stdout. */
function expectRefusal(result: Finished, message: RegExp) {
  expect({ code: result.code, stdout: result.stdout }).toEqual({ code: 1, stdout: '' });
  expect(result.stderr.trimEnd().split('\n')).toHaveLength(1);
  expect(result.stderr.trimEnd()).toMatch(message);
  expect(result.stderr).not.toMatch(/\n\s+at /);
}

async function categoryCodes(): Promise<string[]> {
  const db = new Client({ connectionString: urls.sichuan });
  await db.connect();
  try {
    return (await db.query<{ code: string }>('SELECT code FROM instrument_categories ORDER BY code')).rows.map((row) => row.code);
  } finally {
    await db.end();
  }
}

describe('production does not improvise', () => {
  /** The Sichuan subgraph started as production starts it, its stdout and stderr kept apart. */
  const production = (env: Record<string, string>) =>
    spawn(process.execPath, ['--import', 'tsx', 'subgraphs/province/src/main.ts'], {
      cwd: REPO_ROOT,
      env: {
        ...process.env,
        NODE_ENV: 'production', PROVINCE: 'sichuan', PORT: '0', ADMIN_PORT: '0', GATEWAY_SECRET, DATABASE_URL: '', EMBEDDED_PG_DIR: join(workDir, 'embedded'), ...env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });

  it('a subgraph without DATABASE_URL refuses to start, naming it, and starts no embedded PostgreSQL', async () => {
    const result = await finished(production({}));
    expect(result.code).toBe(78);
    expect(result.stderr).toMatch(/^province: DATABASE_URL: required in production \(NODE_ENV=production\), where no embedded PostgreSQL is started; create the sichuan database with `npm run admin -- create-database sichuan`/);
    expect(existsSync(join(workDir, 'embedded'))).toBe(false);
  });

  it("a subgraph given the example files' placeholder secret refuses to start, naming the variable", async () => {
    const result = await finished(production({ DATABASE_URL: 'postgres://sichuan_svc:change-me@127.0.0.1:1/shuangcheng_sichuan' }));
    expect(result.code).toBe(78);
    expect(result.stderr).toMatch(/^province: DATABASE_URL: its password is still the placeholder of deploy\/\*\.env\.example, refused in production/);
    expect(result.stderr).not.toContain('change-me@');
  });
});

describe('a provincial team bootstraps an empty PostgreSQL with npm run admin', () => {
  it('lists its commands', async () => {
    const help = await finished(spawn('npm', ['run', '-s', 'admin', '--', '--help'], { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'pipe'] }));
    expect(help.code).toBe(0);
    expect(help.stdout.match(/^ {2}[a-z-]+ </gm)).toEqual(['  create-database <', '  migrate <', '  load-categories <', '  create-admin <', '  register-client <']);
  }, 30_000);

  it('creates each owner\'s role and database from the superuser URL, the password from a variable or from stdin', async () => {
    const { platform, sichuan } = NAMES;
    const created = await admin(['create-database', 'platform', '--database', platform.database, '--role', platform.role], { ...superuser(), DATABASE_PASSWORD: platform.password });
    expect(created.code).toBe(0);
    urls.platform = databaseUrlOf(created.stdout, platform.password);
    const piped = await admin(['create-database', 'sichuan', '--database', sichuan.database, '--role', sichuan.role], superuser(), `${sichuan.password}\n`);
    expect(piped.code).toBe(0);
    urls.sichuan = databaseUrlOf(piped.stdout, sichuan.password);
    for (const run of [created, piped]) expect(run.stdout + run.stderr).not.toMatch(new RegExp(`${platform.password}|${sichuan.password}`));
    // Ownership is physical: the platform's role cannot even connect to Sichuan's database.
    const trespasser = new Client({ connectionString: urls.sichuan.replace(`${sichuan.role}:${sichuan.password}`, `${platform.role}:${platform.password}`) });
    await expect(trespasser.connect()).rejects.toThrow(/permission denied for database/);
  }, 60_000);

  it('refuses to write to a database that is not migrated yet, saying which command to run', async () => {
    expectRefusal(await admin(['load-categories', 'sichuan'], { DATABASE_URL: urls.sichuan }), /^admin load-categories: the sichuan database has migrations still to apply: run `npm run admin -- migrate sichuan` first$/);
  }, 30_000);

  it('migrates each database, and a second run finds nothing to do', async () => {
    for (const owner of ['platform', 'sichuan'] as const) {
      const first = await admin(['migrate', owner], { DATABASE_URL: urls[owner] });
      expect(first).toMatchObject({ code: 0, stdout: expect.stringMatching(new RegExp(`^${owner}: applied `)) });
      expect(await admin(['migrate', owner], { DATABASE_URL: urls[owner] })).toMatchObject({ code: 0, stdout: `${owner}: database is up to date\n` });
    }
  }, 60_000);

  it('loads the national classification by default, upserting by code', async () => {
    const first = await admin(['load-categories', 'sichuan'], { DATABASE_URL: urls.sichuan });
    expect(first).toMatchObject({ code: 0, stdout: expect.stringMatching(/^sichuan: 13 categories from \S+nationalCategories\.json: 13 added, 0 renamed, 0 unchanged\.$/m) });
    const again = await admin(['load-categories', 'sichuan'], { DATABASE_URL: urls.sichuan });
    expect(again.stdout).toMatch(/13 categories from \S+: 0 added, 0 renamed, 13 unchanged\./);
    const file = join(workDir, 'categories.json');
    writeFileSync(file, JSON.stringify([
      { code: 'ANALYTICAL', nameEn: 'Analytical and testing instruments', nameZh: '分析测试仪器' },
      { code: 'GENE_SEQUENCER', nameEn: 'Gene sequencer', nameZh: '基因测序仪' },
    ]));
    expect((await admin(['load-categories', 'sichuan', '--file', file], { DATABASE_URL: urls.sichuan })).stdout).toMatch(/2 categories from \S+: 1 added, 1 renamed, 0 unchanged\./);
    expect(await categoryCodes()).toHaveLength(14);
  }, 60_000);

  it('refuses a bad categories file whole, naming the entries, and writes none of it', async () => {
    const file = join(workDir, 'bad-categories.json');
    writeFileSync(file, JSON.stringify([
      { code: 'NEW_ONE', nameEn: 'New one', nameZh: '新' },
      { code: 'lower case', nameEn: 'Bad', nameZh: '坏' },
    ]));
    expectRefusal(await admin(['load-categories', 'sichuan', '--file', file], { DATABASE_URL: urls.sichuan }), /^admin load-categories: \S+bad-categories\.json: \[1\]\.code: must be 2–40 capital letters/);
    expect(await categoryCodes()).not.toContain('NEW_ONE');
    writeFileSync(file, '[{"code": ');
    expectRefusal(await admin(['load-categories', 'sichuan', '--file', file], { DATABASE_URL: urls.sichuan }), /bad-categories\.json is not JSON/);
  }, 60_000);

  it('creates the first province admin, the password piped in and never shown, and leaves it alone when run again', async () => {
    const args = ['create-admin', ADMIN.username, '--province', 'sichuan', '--name', 'Sichuan Registry Admin'];
    const created = await admin(args, { DATABASE_URL: urls.platform }, `${ADMIN.password}\n`);
    expect(created).toMatchObject({ code: 0, stdout: `created ${ADMIN.username}, province admin of sichuan.\n` });
    const again = await admin(args, { DATABASE_URL: urls.platform, ADMIN_PASSWORD: `another-${ADMIN.password}` });
    expect(again).toMatchObject({ code: 0, stdout: expect.stringMatching(/already exists as province admin of sichuan; left as it is \(password unchanged\)/) });
    for (const run of [created, again]) expect(run.stdout + run.stderr).not.toContain(ADMIN.password);
    expectRefusal(
      await admin(['create-admin', ADMIN.username, '--platform', '--name', 'Someone else'], { DATABASE_URL: urls.platform, ADMIN_PASSWORD: ADMIN.password }),
      /^admin create-admin: an account named sc\.registry already exists as province_admin of sichuan; nothing was changed/,
    );
    expectRefusal(
      await admin(['create-admin', 'sc.second', '--province', 'sichuan', '--name', 'Second'], { DATABASE_URL: urls.platform, ADMIN_PASSWORD: 'change-me-now' }),
      /^admin create-admin: password: is a placeholder/,
    );
  }, 60_000);

  it('registers a partner client, printing its secret once and keeping only a hash', async () => {
    const args = ['register-client', 'chengdu-testing', '--name', 'Chengdu Testing Centre', '--scopes', 'catalog:read,card:verify'];
    const registered = await admin(args, { DATABASE_URL: urls.platform });
    expect(registered.code).toBe(0);
    clientSecret = /^client secret: (\S+)$/m.exec(registered.stdout)?.[1] ?? '';
    expect(clientSecret).toHaveLength(32);
    const again = await admin(args, { DATABASE_URL: urls.platform });
    expect(again).toMatchObject({ code: 0, stdout: expect.stringMatching(/already registered with scopes card:verify catalog:read; left as it is/) });
    expect(again.stdout).not.toContain('client secret');
    const db = new Client({ connectionString: urls.platform });
    await db.connect();
    const { rows } = await db.query<{ secret_hash: string }>("SELECT secret_hash FROM partner_clients WHERE client_id = 'chengdu-testing'");
    await db.end();
    expect(rows[0]!.secret_hash).toMatch(/^scrypt\$/);
    expect(rows[0]!.secret_hash).not.toContain(clientSecret);
    expectRefusal(
      await admin(['register-client', 'too-powerful', '--name', 'Too powerful', '--scopes', 'registry:write'], { DATABASE_URL: urls.platform }),
      /^admin register-client: scopes\.0: expected scopes among catalog:read, card:verify, usage:record:sichuan, usage:record:chongqing, booking:write, service:request, person:read, card:present, voucher:spend$/,
    );
  }, 60_000);
});

describe('the registry it bootstrapped serves in production', () => {
  let platformUrl: string;
  let sichuanUrl: string;

  beforeAll(async () => {
    const keyFile = join(workDir, 'jwt-signing-key.pem');
    writeFileSync(keyFile, generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600 });
    const ports = { platform: await freePort(), platformAdmin: await freePort(), sichuan: await freePort(), sichuanAdmin: await freePort() };
    const production = { NODE_ENV: 'production', HOST: '127.0.0.1', GATEWAY_SECRET, MIGRATE_ON_START: 'false' };
    platformUrl = `http://127.0.0.1:${ports.platform}/graphql`;
    sichuanUrl = `http://127.0.0.1:${ports.sichuan}/graphql`;
    const platform = spawnService('platform', 'subgraphs/platform/src/main.ts', {
      ...production, PORT: String(ports.platform), ADMIN_PORT: String(ports.platformAdmin), DATABASE_URL: urls.platform, JWT_SIGNING_KEY_FILE: keyFile,
    }, workDir);
    services.push(platform);
    const sichuan = spawnService('sichuan', 'subgraphs/province/src/main.ts', {
      ...production, PROVINCE: 'sichuan', PORT: String(ports.sichuan), ADMIN_PORT: String(ports.sichuanAdmin), DATABASE_URL: urls.sichuan,
      WEBHOOK_SECRET_KEYS: `2026-01:${randomBytes(32).toString('base64url')}`,
      JWKS_URL: `http://127.0.0.1:${ports.platform}/.well-known/jwks.json`,
    }, workDir);
    services.push(sichuan);
    await Promise.all([
      platform.waitUntil('ready', `http://127.0.0.1:${ports.platformAdmin}`),
      sichuan.waitUntil('ready', `http://127.0.0.1:${ports.sichuanAdmin}`),
    ]);
  }, 120_000);

  it('lets the new admin sign in and add an instrument in a loaded category, and only in one', async () => {
    const login = await graphql(platformUrl, 'mutation Login($u: String!, $p: String!) { login(username: $u, password: $p) { token } }', {
      variables: { u: ADMIN.username, p: ADMIN.password },
    });
    const token = login.body.data?.login?.token as string;
    expect(token).toEqual(expect.any(String));
    const add = (category: string, assetCode: string) => graphql(sichuanUrl, `mutation Add($input: InstrumentInput!) { createSichuanInstrument(input: $input) { id category name } }`, {
      token,
      variables: { input: {
        assetCode, name: '600 MHz NMR spectrometer', nameZh: '600兆核磁共振波谱仪', category, institution: 'Sichuan University',
        hourlyFee: 480, services: ['TESTING'], openFromHour: 9, openToHour: 17,
      } },
    });
    const added = await add('ANALYTICAL', 'SC-NMR-101');
    expect(added.body).toEqual({ data: { createSichuanInstrument: { id: expect.stringMatching(/^sc:instrument:/), category: 'ANALYTICAL', name: '600 MHz NMR spectrometer' } } });
    const refused = await add('CRYO_EM', 'SC-CRYO-101');
    expect(refused.body.errors?.[0]?.extensions?.['code']).toBe('BAD_USER_INPUT');
    expect(refused.body.errors?.[0]?.message).toMatch(/"CRYO_EM" is not a category of this registry/);
  }, 30_000);

  it('gives the partner client a token with the scopes it was registered with', async () => {
    const issued = await graphql(platformUrl, 'mutation Issue($id: String!, $secret: String!) { issueClientToken(clientId: $id, clientSecret: $secret) { token scopes } }', {
      variables: { id: 'chengdu-testing', secret: clientSecret },
    });
    expect(issued.body).toEqual({ data: { issueClientToken: { token: expect.any(String), scopes: ['card:verify', 'catalog:read'] } } });
  }, 30_000);
});
