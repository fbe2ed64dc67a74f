import type { Logger as TypeOrmLogger } from 'typeorm';

/**
 * A TypeORM logger that records every SQL statement a data source sends, so
 * tests can assert how many statements a request costs (`logging: ['query']`).
 */
export class StatementLog implements TypeOrmLogger {
  statements: string[] = [];
  logQuery(query: string) {
    this.statements.push(query);
  }
  logQueryError() {}
  logQuerySlow() {}
  logSchemaBuild() {}
  logMigration() {}
  log() {}

  /** Statements that read `table` (its name quoted, as TypeORM writes it, or not, as prepared reads do). */
  reading(table: string): number {
    return this.statements.filter((sql) => new RegExp(`FROM "?${table}"?(\\s|$)`).test(sql)).length;
  }
}
