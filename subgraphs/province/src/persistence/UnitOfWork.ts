import type { EntityManager } from 'typeorm';

/** What opens a transaction: a TypeORM `DataSource` (tests may pass their own). */
export interface TransactionRunner {
  transaction<TResult>(work: (manager: EntityManager) => Promise<TResult>): Promise<TResult>;
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
  ) {}

  run<TResult>(work: (tx: TRepositories) => Promise<TResult>): Promise<TResult> {
    return this.runner.transaction((manager) => work(this.bind(manager)));
  }
}
