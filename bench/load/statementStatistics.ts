import { withClient } from '../scenarios/loadInputs';

/**
 * Which SQL statements PostgreSQL spent its time on during a run (`npm run bench -- --statements`): the cluster then
 * starts with pg_stat_statements loaded (STATEMENT_STATISTICS_SETTINGS), the counters are reset before each run, and
 * the statements that took the most time (planning and execution) are read after it, every owner's database
 * together. The run's warm-up counts too: shares and means, not totals per answered request, are what this tells.
 */
export const STATEMENT_STATISTICS_SETTINGS: Readonly<Record<string, string>> = {
  shared_preload_libraries: 'pg_stat_statements',
  // Statements inside functions and triggers too (the tallies' triggers), each under its own text.
  'pg_stat_statements.track': 'all',
  'pg_stat_statements.track_planning': 'on',
};

export interface StatementShare {
  readonly database: string;
  readonly calls: number;
  /** Planning and execution, milliseconds per call. */
  readonly meanMs: number;
  readonly meanPlanMs: number;
  /** Of all statement time in the run (0–1). */
  readonly share: number;
  readonly rows: number;
  readonly text: string;
}

export async function resetStatementStatistics(adminUrl: string): Promise<void> {
  await withClient(adminUrl, async (client) => {
    await client.query('CREATE EXTENSION IF NOT EXISTS pg_stat_statements');
    await client.query('SELECT pg_stat_statements_reset()');
  });
}

/** The `limit` statements that took the most time since the last reset. */
export async function topStatements(adminUrl: string, limit: number): Promise<StatementShare[]> {
  return withClient(adminUrl, async (client) => {
    const { rows } = await client.query<{ database: string; calls: string; total: number; plan: number; rows: string; text: string; all_time: number }>(
      `SELECT d.datname AS database, s.calls, s.total_exec_time + s.total_plan_time AS total, s.total_plan_time AS plan, s.rows,
              regexp_replace(s.query, '\\s+', ' ', 'g') AS text,
              sum(s.total_exec_time + s.total_plan_time) OVER () AS all_time
         FROM pg_stat_statements s JOIN pg_database d ON d.oid = s.dbid
        ORDER BY total DESC LIMIT $1`,
      [limit],
    );
    return rows.map((row) => ({
      database: row.database,
      calls: Number(row.calls),
      meanMs: row.total / Math.max(1, Number(row.calls)),
      meanPlanMs: row.plan / Math.max(1, Number(row.calls)),
      share: row.all_time > 0 ? row.total / row.all_time : 0,
      rows: Number(row.rows),
      text: row.text,
    }));
  });
}

export const describeStatement = (statement: StatementShare) =>
  `${(statement.share * 100).toFixed(1).padStart(5)} %  ${String(statement.calls).padStart(7)} calls  ${statement.meanMs.toFixed(3)} ms/call ` +
  `(plan ${statement.meanPlanMs.toFixed(3)})  ${statement.database}: ${statement.text.slice(0, 220)}`;
