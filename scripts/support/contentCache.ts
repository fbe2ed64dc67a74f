import { createHash, randomUUID } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** Answers by the content they were computed from. */
export interface ContentCache<Input, Answer> {
  read(input: Input): Answer | undefined;
  write(input: Input, answer: Answer): void;
}

/** A SHA-256 of the JSON of `parts`: the key of an answer computed from exactly these. */
export const contentKey = (parts: unknown): string => createHash('sha256').update(JSON.stringify(parts)).digest('hex');

/**
 * A cache in a folder, one JSON file per key, for the tests that compute the same slow answers on every run.
 * `keyOf` must cover everything the answer depends on, so that a cached answer can only be the one computing it
 * again gives today. A file is written beside its final name and renamed over it, so two processes filling the
 * same key never leave a half-written entry.
 */
export function contentCacheIn<Input, Answer>(folder: string, keyOf: (input: Input) => string): ContentCache<Input, Answer> {
  const fileOf = (input: Input) => join(folder, `${keyOf(input)}.json`);
  return {
    read(input) {
      try {
        return JSON.parse(readFileSync(fileOf(input), 'utf8')) as Answer;
      } catch {
        return undefined;
      }
    },
    write(input, answer) {
      mkdirSync(folder, { recursive: true });
      const file = fileOf(input);
      const staged = `${file}.${randomUUID()}.tmp`;
      writeFileSync(staged, JSON.stringify(answer));
      renameSync(staged, file);
    },
  };
}
