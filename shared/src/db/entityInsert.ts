import type { ColumnMetadata } from 'typeorm/metadata/ColumnMetadata';
import type { EntityManager, EntityMetadata, EntityTarget, ObjectLiteral } from 'typeorm';

/** Inserts rows of an entity, each with the same chosen properties, on one manager: one statement per 100 rows. */
export interface EntityInsert<Row> {
  insert(rows: readonly Row[]): Promise<void>;
  /**
   * The INSERT of a few rows (at most 100) as text and values, for a statement that does more with them in the same
   * round trip (`WITH inserted AS (… RETURNING …) …`): its parameters are $1 to $n, the caller's own follow them.
   */
  statement(rows: readonly Row[]): { text: string; values: unknown[] };
}

/**
 * An INSERT of the given properties of an entity, its text made from TypeORM's column metadata (names, transformers,
 * json), for hot write paths. TypeORM's `insert` builds its text anew on every call and reads back the columns the
 * database generated; on a booking that was a large share of the province's CPU. The text is sent with parameters,
 * so the pool's client prepares it once per connection (PreparingClient). Columns left out take their database
 * default; a property given as `undefined` is refused rather than quietly stored as null.
 */
export function entityInsert<T extends ObjectLiteral, K extends keyof T & string>(
  manager: EntityManager,
  target: EntityTarget<T>,
  properties: readonly K[],
): EntityInsert<Pick<T, K>> {
  const plan = insertPlan(manager.connection.getMetadata(target), properties);
  return {
    async insert(rows) {
      for (let start = 0; start < rows.length; start += ROWS_PER_STATEMENT) {
        const chunk = rows.slice(start, start + ROWS_PER_STATEMENT);
        await manager.query(plan.textOf(chunk.length), plan.valuesOf(chunk));
      }
    },
    statement(rows) {
      if (rows.length === 0 || rows.length > ROWS_PER_STATEMENT) throw new Error(`entityInsert: one statement inserts 1 to ${ROWS_PER_STATEMENT} rows, not ${rows.length}`);
      return { text: plan.textOf(rows.length), values: plan.valuesOf(rows) };
    },
  };
}

interface InsertPlan {
  textOf(rowCount: number): string;
  valuesOf(rows: readonly ObjectLiteral[]): unknown[];
}

/** Repositories are made for every transaction: each entity's plan for a set of properties is worked out once. */
const plans = new WeakMap<EntityMetadata, Map<string, InsertPlan>>();

function insertPlan(metadata: EntityMetadata, properties: readonly string[]): InsertPlan {
  let ofEntity = plans.get(metadata);
  if (!ofEntity) plans.set(metadata, (ofEntity = new Map()));
  const key = properties.join(',');
  let plan = ofEntity.get(key);
  if (!plan) ofEntity.set(key, (plan = makePlan(metadata, properties)));
  return plan;
}

function makePlan(metadata: EntityMetadata, properties: readonly string[]): InsertPlan {
  const columns = properties.map((property) => {
    const column = metadata.findColumnWithPropertyName(property);
    if (!column) throw new Error(`entityInsert: ${metadata.name} has no column ${property}`);
    return { property, name: column.databaseName, toDatabase: toDatabaseValue(metadata.name, column) };
  });
  const head = `INSERT INTO "${metadata.tableName}" (${columns.map((column) => `"${column.name}"`).join(', ')}) VALUES `;
  // One text per number of rows: a request writes one or a few, so few texts are ever prepared; 100 rows a statement
  // keep a registry file's thousands of audit lines under PostgreSQL's 65,535 parameters.
  const texts = new Map<number, string>();
  return {
    textOf(rowCount) {
      let text = texts.get(rowCount);
      if (text === undefined) {
        const row = (offset: number) => `(${columns.map((_column, index) => `$${offset + index + 1}`).join(', ')})`;
        texts.set(rowCount, (text = head + Array.from({ length: rowCount }, (_, index) => row(index * columns.length)).join(', ')));
      }
      return text;
    },
    valuesOf(rows) {
      const values: unknown[] = [];
      for (const row of rows) {
        for (const column of columns) {
          const value = row[column.property];
          if (value === undefined) throw new Error(`entityInsert: ${metadata.name}.${column.property} is undefined; give null or leave the column out`);
          values.push(column.toDatabase(value));
        }
      }
      return values;
    },
  };
}

const ROWS_PER_STATEMENT = 100;

/** A property's value as TypeORM would send it, for the column types this supports; others are refused when the insert is made. */
function toDatabaseValue(entity: string, column: ColumnMetadata): (value: unknown) => unknown {
  const type = String(column.type);
  if (type.startsWith('simple-') || type === 'hstore' || type === 'date' || type === 'time') {
    throw new Error(`entityInsert: ${entity}.${column.propertyName} is of type ${type}, which this insert does not convert`);
  }
  const transformers = column.transformer ? [column.transformer].flat() : [];
  const json = type === 'json' || type === 'jsonb';
  return (value) => {
    // As TypeORM applies them: the first transformer's `to` first.
    const transformed = transformers.reduce((each, transformer) => transformer.to(each), value);
    return json && transformed !== null ? JSON.stringify(transformed) : transformed;
  };
}
