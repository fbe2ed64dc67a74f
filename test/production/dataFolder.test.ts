import { lstatSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { testCluster } from '../support/testCluster';

/**
 * README "Where `npm start` keeps its secrets" against the data folder the launcher made for this run's
 * test cluster (the same launcher as `npm start`, DATA_DIR in the temp folder): every file the table lists is
 * there, private, and holds the secret the system uses; every secret file there is in the table.
 */
const README = readFileSync(join(__dirname, '..', '..', 'README.md'), 'utf8');
const OWNERS = ['platform', 'sichuan', 'chongqing'] as const;

/** The table's files, relative to DATA_DIR, `<owner>` spelt out. */
function documentedFiles(): string[] {
  const section = README.slice(README.indexOf('**Where `npm start` keeps its secrets.**'), README.indexOf('**When the cluster moves to the temp folder.**'));
  return [...section.matchAll(/^\| `\.data\/([^`]+)` \|/gm)].flatMap(([, file]) =>
    file!.includes('<owner>') ? OWNERS.map((owner) => file!.replace('<owner>', owner)) : [file!]);
}

const cluster = testCluster();
/** The launcher keeps the signing key in DATA_DIR/keys/. */
const dataDir = dirname(dirname(cluster.signingKeyFile));
const passwordOf = (url: string) => decodeURIComponent(new URL(url).password);

describe("npm start's data folder", () => {
  it('holds every secret file the README lists, each ours alone (mode 600)', () => {
    const files = documentedFiles();
    expect(files).toHaveLength(6);
    for (const file of files) {
      const stat = lstatSync(join(dataDir, file));
      expect({ file, regular: stat.isFile(), mode: (stat.mode & 0o777).toString(8) }).toEqual({ file, regular: true, mode: '600' });
    }
  });

  it('each of them holding the secret the system uses', () => {
    const read = (file: string) => readFileSync(join(dataDir, file), 'utf8').trim();
    expect(read('secrets/gateway-secret')).toBe(cluster.gatewaySecret);
    for (const owner of OWNERS) expect(read(`secrets/${owner}_svc-password`)).toBe(passwordOf(cluster.templateUrls[owner]));
    expect(read('postgres/admin-password')).toBe(passwordOf(cluster.postgresAdminUrl));
    expect(read('keys/jwt-signing-key.pem')).toMatch(/^-----BEGIN PRIVATE KEY-----/);
  });

  it('has no secret file the README does not list', () => {
    const present = ['secrets', 'keys'].flatMap((folder) => readdirSync(join(dataDir, folder)).map((name) => `${folder}/${name}`));
    expect(present.filter((file) => !documentedFiles().includes(file))).toEqual([]);
  });
});
