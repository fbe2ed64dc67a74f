import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { clientTypesCacheIn, staleGeneratedFiles, type ReadFile } from '../clientTypes';
import { typedOperations } from '../typedOperations';

/*
 * `npm run codegen -- --check` in process. Generating costs about 2 s of CPU (the codegen plugins), so what the same
 * inputs gave the same generator is read from a cache keyed by both (`<os temp folder>/shuangcheng-codegen-cache`,
 * safe to delete); the committed files are compared with it on every run.
 */
const cache = clientTypesCacheIn(join(tmpdir(), 'shuangcheng-codegen-cache'));
const fromDisk: ReadFile = (file) => readFileSync(file, 'utf8');
/** Reads from disk, with `file` read as `edit` leaves it. */
const editing = (file: string, edit: (text: string) => string): ReadFile => (path) => (path === file ? edit(fromDisk(path)) : fromDisk(path));

describe('npm run codegen', () => {
  it('keeps every committed typed-operations file in step with the published schema', async () => {
    // When this fails: run `npm run codegen` and commit what it wrote.
    expect(await staleGeneratedFiles(typedOperations(), { cache })).toEqual([]);
  });

  it('finds a generated file edited by hand, and one whose operations changed since it was generated', async () => {
    const [partner, examples] = typedOperations();
    const handEdited = editing(examples!.generatedFile, (text) => `${text}// edited\n`);
    expect(await staleGeneratedFiles(typedOperations(), { cache, read: handEdited })).toEqual([examples!.generatedFile]);
    const operationChanged = editing(partner!.files[0]!, (text) => text.replace('me { displayName }', 'me { displayName username }'));
    expect(await staleGeneratedFiles(typedOperations(), { cache, read: operationChanged })).toEqual([partner!.generatedFile]);
  });

  it('types DateTime as a string and each operation with a typed document', () => {
    const generated = readFileSync(typedOperations()[0]!.generatedFile, 'utf8');
    expect(generated).toMatch(/export type PartnerBookingsQuery = \{ me: \{ sichuanBookings: Array<\{ id: string, status: BookingStatus, start: string, end: string \}>/);
    expect(generated).toMatch(/export const PartnerFirstDocument = .* as unknown as DocumentNode<PartnerFirstQuery, PartnerFirstQueryVariables>;/);
    expect(generated).not.toMatch(/Join__|Link__/);
  });
});
