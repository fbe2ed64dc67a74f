import type { EntityManager, EntityMetadata, EntityTarget, ObjectLiteral } from 'typeorm';
import { poolOf } from './poolOf';
import { hashedStatementName } from './preparingClient';

/**
 * Reads on hot paths (a registry page, a batch of entities by id) sent as named prepared statements, their rows
 * shaped like the entity from TypeORM's own column metadata.
 *
 * Why not TypeORM's query builder here: it builds the same SQL text anew on every call and sends it without a name,
 * so PostgreSQL plans every request again (planning cost as much as executing a page), and its hydration walks the
 * metadata per column per row. Named, a statement is parsed and planned once per pooled connection. TypeORM stays for
 * writes, migrations and every other read; these statements still reach its logger, so statement counts see them.
 */
export class PreparedRead {
  /** The statement's name on each connection: from its text, so two texts never share a name. */
  readonly name: string;

  constructor(readonly text: string) {
    this.name = hashedStatementName('r', text);
  }

  /** Runs on the manager's transaction when it has one, else on a pooled connection. */
  async rows<Row extends ObjectLiteral>(manager: EntityManager, values: readonly unknown[]): Promise<Row[]> {
    const query = { name: this.name, text: this.text, values: values as unknown[] };
    const runner = manager.queryRunner;
    manager.connection.logger.logQuery(this.text, query.values, runner);
    const client: { query(config: typeof query): Promise<{ rows: Row[] }> } = runner
      ? await runner.connect()
      : poolOf(manager.connection);
    return (await client.query(query)).rows;
  }
}

/**
 * PreparedReads by their text, made once each: a search builds its text from which filters it has, a few dozen
 * shapes at most, and each keeps its name for the life of the process.
 */
export class PreparedReads {
  private readonly byText = new Map<string, PreparedRead>();

  of(text: string): PreparedRead {
    let read = this.byText.get(text);
    if (!read) this.byText.set(text, (read = new PreparedRead(text)));
    return read;
  }
}

/** How to select an entity's columns in a raw statement and turn its rows into objects shaped like the entity. */
export interface EntityColumns<T> {
  /**
   * `alias."column" AS "property", …` for every column, or for the columns of `properties` alone (in the entity's
   * order): a read that needs only those then hydrates only those, and its rows hold no other property.
   */
  select(alias: string, properties?: readonly (keyof T & string)[]): string;
  /** The row as TypeORM would hydrate it: transformers applied, dates as `YYYY-MM-DD` text. */
  toEntity(row: Record<string, unknown>): T;
}

/**
 * The columns of an entity, from TypeORM's metadata, so a column added to the entity is read here too. Relations
 * are left out, as TypeORM leaves them when not asked to join them; an entity with embedded objects is refused.
 */
export function entityColumns<T extends ObjectLiteral>(manager: EntityManager, target: EntityTarget<T>): EntityColumns<T> {
  const metadata = manager.connection.getMetadata(target);
  // A unit of work makes its repositories, and so this, for every transaction: the columns are worked out once per entity.
  let known = columnsOfEntity.get(metadata);
  if (!known) columnsOfEntity.set(metadata, (known = columnsOf(metadata)));
  return known as EntityColumns<T>;
}

const columnsOfEntity = new WeakMap<EntityMetadata, EntityColumns<ObjectLiteral>>();

function columnsOf<T extends ObjectLiteral>(metadata: EntityMetadata): EntityColumns<T> {
  if (metadata.embeddeds.length > 0) throw new Error(`entityColumns: ${metadata.name} has embedded columns, which a raw read does not hydrate`);
  // A column marked `select: false` stays out, as TypeORM leaves it out of a find.
  const columns = metadata.columns.filter((column) => column.isSelect).map((column) => ({
    database: column.databaseName,
    property: column.propertyName,
    // TypeORM hydrates a `date` as its text; pg would make a Date of it at local midnight.
    cast: column.type === 'date' ? '::text' : '',
    // As TypeORM applies them: the last transformer's `from` first.
    from: column.transformer ? (value: unknown) => [column.transformer!].flat().reduceRight((v, transformer) => transformer.from(v), value) : undefined,
  }));
  const converted = columns.filter((column) => column.from);
  // Statements are written with a fixed alias or two: each list is joined once.
  const selects = new Map<string, string>();
  const known = new Set(columns.map((column) => column.property));
  return {
    select(alias, properties) {
      const key = properties ? `${alias}:${properties.join(',')}` : alias;
      let list = selects.get(key);
      if (list === undefined) {
        const unknown = properties?.find((property) => !known.has(property));
        if (unknown) throw new Error(`entityColumns: ${metadata.name} has no column for ${unknown}`);
        const chosen = properties ? columns.filter((column) => properties.includes(column.property as keyof T & string)) : columns;
        selects.set(key, (list = chosen.map((column) => `${alias}."${column.database}"${column.cast} AS "${column.property}"`).join(', ')));
      }
      return list;
    },
    toEntity(row) {
      // A read of some columns has only their properties: a transformer never makes one of a missing column.
      for (const column of converted) if (column.property in row) row[column.property] = column.from!(row[column.property]);
      return row as T;
    },
  };
}

/** An entity's reads on one manager: rows of a prepared statement shaped as the entity. */
export interface EntityRows<T> {
  readonly columns: EntityColumns<T>;
  /** The rows of `text` (which selects `columns.select(alias)`), shaped as the entity. */
  rows(text: string, values: readonly unknown[]): Promise<T[]>;
  /** The first row of `text`, or null when it has none (a lookup by key, a row locked by id). */
  first(text: string, values: readonly unknown[]): Promise<T | null>;
}

/** An entity's hot reads on one manager: rows of a prepared statement shaped as the entity, and rows by id. */
export interface EntityReads<T> extends EntityRows<T> {
  /**
   * The rows whose uuid `id` is among `ids`, aligned with them (null where none): one statement whatever their number.
   * With `properties` (a fixed list, `id` among them: each list is a statement of its own), the rows hold only those.
   */
  byIds(ids: readonly string[], properties?: readonly (keyof T & string)[]): Promise<(T | null)[]>;
}

/** Every entity's reads share one set: a statement's name comes from its text, so sharing never mixes two statements. */
const SHARED_READS = new PreparedReads();

export function entityRows<T extends ObjectLiteral>(manager: EntityManager, target: EntityTarget<T>): EntityRows<T> {
  const columns = entityColumns(manager, target);
  const rows = async (text: string, values: readonly unknown[]) => (await SHARED_READS.of(text).rows(manager, values)).map((row) => columns.toEntity(row));
  return {
    columns,
    rows,
    first: async (text, values) => (await rows(text, values))[0] ?? null,
  };
}

export function entityReads<T extends ObjectLiteral & { id: string }>(manager: EntityManager, target: EntityTarget<T>): EntityReads<T> {
  const reads = entityRows(manager, target);
  const table = manager.connection.getMetadata(target).tableName;
  // One id is the common case (a booking's instrument, the row a write answers) and has its own statement: PostgreSQL
  // plans `= ANY` of an array parameter anew on every call (0.15 of 0.2 ms for an instrument), `= $1` once.
  const statements = new Map<string, { readonly one: string; readonly many: string }>();
  const statementsOf = (properties: readonly (keyof T & string)[] | undefined) => {
    const key = properties?.join(',') ?? '';
    let known = statements.get(key);
    if (!known) {
      const from = `SELECT ${reads.columns.select('e', properties)} FROM "${table}" e`;
      statements.set(key, (known = { one: `${from} WHERE e.id = $1::uuid`, many: `${from} WHERE e.id = ANY($1::uuid[])` }));
    }
    return known;
  };
  return {
    ...reads,
    async byIds(ids, properties) {
      const { one, many } = statementsOf(properties);
      if (ids.length === 1) return [await reads.first(one, [ids[0]])];
      const found = new Map((await reads.rows(many, [ids])).map((row) => [row.id, row]));
      return ids.map((id) => found.get(id) ?? null);
    },
  };
}
