import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { typedOperations } from '../typedOperations';

const ROOT = join(__dirname, '..', '..', '..');

describe('npm run codegen', () => {
  // In a process of its own, as a developer runs it: the generator's plugins load ES modules jest cannot.
  it('keeps every committed typed-operations file in step with the published schema', () => {
    expect(execFileSync(join(ROOT, 'node_modules', '.bin', 'tsx'), ['scripts/codegen/generate.ts', '--check'], { cwd: ROOT, encoding: 'utf8' })).toBe('');
  });

  it('types DateTime as a string and each operation with a typed document', () => {
    const generated = readFileSync(typedOperations()[0]!.generatedFile, 'utf8');
    expect(generated).toMatch(/export type PartnerBookingsQuery = \{ me: \{ sichuanBookings: Array<\{ id: string, status: BookingStatus, start: string, end: string \}>/);
    expect(generated).toMatch(/export const PartnerFirstDocument = .* as unknown as DocumentNode<PartnerFirstQuery, PartnerFirstQueryVariables>;/);
    expect(generated).not.toMatch(/Join__|Link__/);
  });
});
