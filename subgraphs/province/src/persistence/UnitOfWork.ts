import type { EntityManager } from 'typeorm';

/** What opens a transaction: a TypeORM `DataSource` (tests may pass their own). */
export interface TransactionRunner {
  transaction<TResult>(work: (manager: EntityManager) => Promise<TResult>): Promise<TResult>;
}

/** What every unit of work does around its work, whatever the work is. */
export interface UnitOfWorkHooks<TRepositories> {
  /** Last statements of the transaction, after the work succeeded (the outbox writes its events here). */
  beforeCommit?(tx: TRepositories): Promise<void>;
  /** After the commit (never after a rollback): e.g. wake the delivery worker. */
  afterCommit?(tx: TRepositories): void;
}

/**
 * The one way services write several things together: `run` opens a
 * transaction and hands the work repositories bound to it, so everything they
 * write commits together or not at all. Services never see the EntityManager;
 * TypeORM stays inside `repositories/`.
 */
export class UnitOfWork<TRepositories> {
  constructor(
    private readonly runner: TransactionRunner,
    private readonly bind: (manager: EntityManager) => TRepositories,
    private readonly hooks: UnitOfWorkHooks<TRepositories> = {},
  ) {}

  async run<TResult>(work: (tx: TRepositories) => Promise<TResult>): Promise<TResult> {
    let bound: TRepositories | undefined;
    const result = await this.runner.transaction(async (manager) => {
      const tx = this.bind(manager);
      bound = tx;
      const answer = await work(tx);
      await this.hooks.beforeCommit?.(tx);
      return answer;
    });
    this.hooks.afterCommit?.(bound!);
    return result;
  }
}
