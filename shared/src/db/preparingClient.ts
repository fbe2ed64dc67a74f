import { createHash } from 'node:crypto';
import { Client, type ClientConfig } from 'pg';

/**
 * Named statements one connection keeps at most. TypeORM writes a few dozen texts on a hot path; one whose text
 * varies (an `IN` list of another length, a bulk insert of another size) still runs, unnamed, once a connection is
 * full. A pooled connection closes after 30 s idle, and its statements with it.
 */
export const MAX_NAMED_STATEMENTS_PER_CONNECTION = 256;

/** Text → name, so a hot statement is hashed once per process; emptied when full rather than grown for ever. */
const namesByText = new Map<string, string>();
const MAX_NAMES_KEPT = 4_096;

/**
 * A statement's name on a connection, from its text, so two texts never share a name: `s_` for the statements named
 * here, `r_` for PreparedRead's.
 */
export const hashedStatementName = (prefix: 'r' | 's', text: string): string =>
  `${prefix}_${createHash('sha256').update(text).digest('hex').slice(0, 24)}`;

function statementName(text: string): string {
  let name = namesByText.get(text);
  if (name === undefined) {
    if (namesByText.size >= MAX_NAMES_KEPT) namesByText.clear();
    name = hashedStatementName('s', text);
    namesByText.set(text, name);
  }
  return name;
}

/** What pg keeps on a connection about the statements it has parsed there. */
interface ParsedStatements {
  readonly connection: { readonly parsedStatements: Record<string, string> };
}

/**
 * A pg client that prepares every statement sent with parameters under a name, once per connection: TypeORM sends
 * its statements unnamed, so PostgreSQL parsed and planned each again on every call. Named, a statement is parsed
 * once per connection and, after five executions, PostgreSQL may keep a generic plan (its `plan_cache_mode`), as
 * for PreparedRead. A statement with parameters already went over the extended protocol as one command, so naming
 * it changes nothing else; statements without parameters (transaction control, migrations, several commands in one
 * text) are sent as before.
 *
 * Given to the pool as its `Client` (createDataSource), so every connection TypeORM opens is one.
 */
export class PreparingClient extends Client {
  constructor(config?: string | ClientConfig) {
    super(config);
    const send = this.query.bind(this) as (...args: unknown[]) => unknown;
    const parsed = (this as unknown as ParsedStatements).connection.parsedStatements;
    this.query = ((config: unknown, values?: unknown, ...rest: unknown[]) => {
      if (typeof config === 'string' && Array.isArray(values) && values.length > 0) {
        const name = statementName(config);
        // pg counts a statement as parsed once PostgreSQL said so (one that failed to parse is not kept), and runs
        // one statement at a time on a connection, so this is the number the connection holds.
        if (parsed[name] !== undefined || Object.keys(parsed).length < MAX_NAMED_STATEMENTS_PER_CONNECTION) {
          return send({ name, text: config, values }, ...rest);
        }
      }
      return send(config, values, ...rest);
    }) as Client['query'];
  }
}
