import { readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { buildSchema, Kind, parse, validate, visit } from 'graphql';
import { API_SCHEMA_FILE, exampleFiles } from '../codegen/typedOperations';

/**
 * The README's example operations are the files of gateway/api/examples: each
 * ```graphql block of the README is one file's text exactly, and each file is
 * shown. They validate against the published schema, every operation has a
 * name no other example uses, and no date is written into one (a fixed date
 * goes stale: dates are variables). test/e2e/readmeExamples.test.ts runs them.
 */
const README = readFileSync(join(__dirname, '..', '..', 'README.md'), 'utf8');
const schema = buildSchema(readFileSync(API_SCHEMA_FILE, 'utf8'));
const examples = exampleFiles().map((file) => ({ name: basename(file), text: readFileSync(file, 'utf8') }));
const readmeBlocks = [...README.matchAll(/^```graphql\n([\s\S]*?)\n```$/gm)].map((match) => match[1]!);
const withoutFinalNewline = (text: string) => text.replace(/\n$/, '');

describe('README example operations', () => {
  it('shows every example file, whole', () => {
    expect(examples.length).toBeGreaterThan(0);
    for (const { name, text } of examples) expect({ name, shown: readmeBlocks.includes(withoutFinalNewline(text)) }).toEqual({ name, shown: true });
  });

  it('shows no graphql block that is not an example file', () => {
    const files = new Set(examples.map(({ text }) => withoutFinalNewline(text)));
    expect(readmeBlocks.filter((block) => !files.has(block))).toEqual([]);
  });

  it.each(examples.map(({ name, text }) => [name, text]))('%s validates against the published schema', (_name, text) => {
    expect(validate(schema, parse(text)).map((error) => error.message)).toEqual([]);
  });

  it('names every operation, each name once among all examples', () => {
    const names = examples.flatMap(({ text }) => parse(text).definitions.map((definition) => (definition.kind === Kind.OPERATION_DEFINITION ? definition.name?.value ?? '(anonymous)' : definition.kind)));
    expect(names).not.toContain('(anonymous)');
    expect(names.filter((name, index) => names.indexOf(name) !== index)).toEqual([]);
  });

  it('writes no date into an operation: dates are variables', () => {
    const dates = examples.flatMap(({ name, text }) => {
      const found: string[] = [];
      visit(parse(text), { StringValue: (node) => void (/\d{4}-\d{2}-\d{2}/.test(node.value) && found.push(`${name}: ${node.value}`)) });
      return found;
    });
    expect(dates).toEqual([]);
  });
});
