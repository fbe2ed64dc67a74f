import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { NATIONAL_CATEGORIES_FILE, readCategoryFile } from '../categoryFile';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'categories-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const fileWith = (content: unknown) => {
  const file = join(dir, `${Math.random().toString(36).slice(2)}.json`);
  writeFileSync(file, typeof content === 'string' ? content : JSON.stringify(content));
  return file;
};

describe('readCategoryFile', () => {
  it('reads the shipped national classification: 13 classes with English and Chinese names', () => {
    const categories = readCategoryFile(NATIONAL_CATEGORIES_FILE);
    expect(categories).toHaveLength(13);
    expect(categories[0]).toEqual({ code: 'ANALYTICAL', nameEn: 'Analytical instruments', nameZh: '分析仪器' });
    expect(categories.at(-1)?.code).toBe('OTHER');
  });

  it('reads the demo seed\'s categories file, the same shape', () => {
    expect(readCategoryFile(join(__dirname, '..', '..', 'seeds', 'categories.json')).map((c) => c.code)).toContain('GENE_SEQUENCER');
  });

  it.each([
    [[], /: the file: expected at least one category$/],
    [[{ code: 'NMR', nameEn: 'NMR', nameZh: '核磁' }, { code: 'NMR', nameEn: 'Again', nameZh: '又' }], /: \[1\]\.code: NMR appears more than once$/],
    [[{ code: 'NMR', nameEn: 'x'.repeat(101), nameZh: '核磁' }], /: \[0\]\.nameEn: .*100/],
    [[{ code: 'A', nameEn: 'Too short a code', nameZh: '短' }], /: \[0\]\.code: must be 2–40 capital letters/],
    [[{ code: 'NMR', nameEn: 'NMR', nameZh: '核磁', extra: true }], /: \[0\]: .*extra/],
    [{ code: 'NMR' }, /: the file: .*expected array/],
  ])('refuses %j, saying where', (content, message) => {
    expect(() => readCategoryFile(fileWith(content))).toThrow(message);
  });

  it('says when the file is missing or not JSON', () => {
    expect(() => readCategoryFile(join(dir, 'missing.json'))).toThrow(/^cannot read the categories file .*missing\.json \(ENOENT\)$/);
    expect(() => readCategoryFile(fileWith('[{"code": '))).toThrow(/ is not JSON: /);
  });
});
