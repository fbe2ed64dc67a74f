/**
 * Where a service makes a new hidden class for objects that should share one. V8 keeps an object's layout in its
 * hidden class (a "map"); code that builds objects of one shape should reuse one map. When V8 cannot record the
 * transition that adds a key (its map log gives the reason `prototype`), every object built there gets a map of its
 * own: allocated in the old generation, collected only by a full collection, and met by property reads that no
 * longer recognise it. A spread followed by a key of its own does this on Node 20 (patches/README.md, "Spreads").
 *
 * Run the services with V8's map log, then summarise each process's log:
 *   npm run bench -- --only searchDirect --no-scaling --connections 10 \
 *     --node-flags "--log-maps --no-log-maps-details --logfile=/tmp/maps/v8.log"
 *   npx tsx bench/profile/summarizeMapLog.ts /tmp/maps/*.log
 * Each line: how many maps one site made, the key it added, and the function whose code was running there.
 */
import { createReadStream } from 'node:fs';
import { basename } from 'node:path';
import { createInterface } from 'node:readline';

interface CodeRange {
  readonly start: number;
  readonly end: number;
  readonly name: string;
}

/** The fields of one log line; V8 escapes commas inside a field, so a plain split is exact. */
function fieldsOf(line: string): string[] {
  return line.split(',');
}

/** Read line by line: a few seconds of a busy service's map log are hundreds of megabytes. */
export async function summarizeMapLog(lines: AsyncIterable<string> | Iterable<string>, top = 15): Promise<{ entry: string; unshared: number; sites: [string, number][] }> {
  const codes: CodeRange[] = [];
  const transitions = new Map<string, { pc: number; key: string; count: number }>();
  let entry = '?';
  for await (const line of lines) {
    if (line.startsWith('code-creation,')) {
      const fields = fieldsOf(line);
      const start = Number.parseInt(fields[4] ?? '', 16);
      const size = Number(fields[5]);
      // code-creation,type,kind,time,address,size,name,...
      const name = fields[6] ?? '';
      if (Number.isFinite(start) && Number.isFinite(size)) codes.push({ start, end: start + size, name });
      if (entry === '?' && /\/(gateway|subgraphs\/\w+)\/src\/main\.(js|ts)/.test(name)) entry = name.replace(/^.*\/((gateway|subgraphs\/\w+)\/src\/main\.(js|ts)).*$/, '$1');
    } else if (line.startsWith('map,Transition,')) {
      // map,Transition,time,from,to,pc,line,column,reason,key
      const fields = fieldsOf(line);
      if (fields[8] !== 'prototype') continue;
      const pc = Number.parseInt(fields[5] ?? '', 16);
      const key = `${fields[5]}|${fields.slice(9).join(',')}`;
      const seen = transitions.get(key);
      if (seen) seen.count += 1;
      else transitions.set(key, { pc, key: fields.slice(9).join(','), count: 1 });
    }
  }
  // The code object that holds each pc: the last one created over it (code space is reused).
  const byStart = [...codes.entries()].sort((a, b) => a[1].start - b[1].start || a[0] - b[0]).map(([, code]) => code);
  const codeAt = (pc: number): string => {
    let low = 0;
    let high = byStart.length - 1;
    while (low <= high) {
      const middle = (low + high) >> 1;
      if (byStart[middle]!.start <= pc) low = middle + 1;
      else high = middle - 1;
    }
    for (let i = high; i >= 0 && i > high - 50; i -= 1) if (byStart[i]!.start <= pc && pc < byStart[i]!.end) return byStart[i]!.name;
    return '(code not found)';
  };
  const sites = new Map<string, number>();
  let unshared = 0;
  for (const { pc, key, count } of transitions.values()) {
    unshared += count;
    const site = `${key.padEnd(24)} in ${codeAt(pc).replace(/ \/.*\/node_modules\//, ' ').replace(/ \/.*?\/dist\//, ' ')}`;
    sites.set(site, (sites.get(site) ?? 0) + count);
  }
  return { entry, unshared, sites: [...sites].sort((a, b) => b[1] - a[1]).slice(0, top) };
}

async function main(files: string[]): Promise<void> {
  if (files.length === 0) {
    console.error('usage: npx tsx bench/profile/summarizeMapLog.ts FILE.log...');
    process.exit(2);
  }
  for (const file of files) {
    const { entry, unshared, sites } = await summarizeMapLog(createInterface({ input: createReadStream(file), crlfDelay: Infinity }));
    console.log(`${basename(file)} (${entry}): ${unshared} maps made without a recorded transition`);
    for (const [site, count] of sites) console.log(`  ${String(count).padStart(8)}  ${site}`);
  }
}

if (require.main === module) void main(process.argv.slice(2));
