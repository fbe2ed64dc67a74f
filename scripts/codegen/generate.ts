/**
 * `npm run codegen`: regenerates the typed operations (scripts/codegen/clientTypes.ts) from the published schema.
 * `npm run codegen -- --check`: exits 1 if a committed file is out of date.
 */
import { writeFileSync } from 'node:fs';
import { relative } from 'node:path';
import { generateClientTypes, staleGeneratedFiles } from './clientTypes';
import { typedOperations } from './typedOperations';

async function main(): Promise<void> {
  if (process.argv.includes('--check')) {
    const stale = await staleGeneratedFiles(typedOperations());
    for (const file of stale) process.stderr.write(`${relative(process.cwd(), file)} is out of date: run npm run codegen and commit it\n`);
    if (stale.length > 0) process.exit(1);
    return;
  }
  for (const { files, generatedFile } of typedOperations()) {
    writeFileSync(generatedFile, await generateClientTypes(files, generatedFile));
    process.stdout.write(`wrote ${relative(process.cwd(), generatedFile)}\n`);
  }
}

void main();
