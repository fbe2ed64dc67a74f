/**
 * `npm run codegen`: regenerates the typed operations (scripts/codegen/clientTypes.ts) from the published schema.
 * `npm run codegen -- --check`: exits 1 if a committed file is out of date.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { relative } from 'node:path';
import { generateClientTypes } from './clientTypes';
import { typedOperations } from './typedOperations';

async function main(): Promise<void> {
  const check = process.argv.includes('--check');
  let stale = 0;
  for (const { files, generatedFile } of typedOperations()) {
    const text = await generateClientTypes(files, generatedFile);
    const shown = relative(process.cwd(), generatedFile);
    if (!check) {
      writeFileSync(generatedFile, text);
      process.stdout.write(`wrote ${shown}\n`);
    } else if (readFileSync(generatedFile, 'utf8') !== text) {
      process.stderr.write(`${shown} is out of date: run npm run codegen and commit it\n`);
      stale += 1;
    }
  }
  if (stale > 0) process.exit(1);
}

void main();
