import type { EntityManager } from 'typeorm';
import { UnitOfWork, type TransactionRunner } from '../UnitOfWork';

/** A transaction runner that records what it was asked and what became of it, the way DataSource.transaction commits or rolls back. */
function recordingRunner() {
  const outcomes: string[] = [];
  let opened = 0;
  const runner: TransactionRunner = {
    async transaction(work) {
      opened += 1;
      const manager = { transaction: opened } as unknown as EntityManager;
      try {
        const result = await work(manager);
        outcomes.push('commit');
        return result;
      } catch (error) {
        outcomes.push('rollback');
        throw error;
      }
    },
  };
  return { runner, outcomes };
}

/** Repositories bound to a manager: they remember which one. */
const bind = (manager: EntityManager) => ({ boundTo: manager as unknown as { transaction: number } });

describe('UnitOfWork', () => {
  it('hands the work repositories bound to the transaction it opened, and answers what the work returns', async () => {
    const { runner, outcomes } = recordingRunner();
    const unitOfWork = new UnitOfWork(runner, bind);
    const result = await unitOfWork.run(async (tx) => `worked in transaction ${tx.boundTo.transaction}`);
    expect(result).toBe('worked in transaction 1');
    expect(outcomes).toEqual(['commit']);
  });

  it('binds fresh repositories for every run: no two units share a transaction', async () => {
    const { runner } = recordingRunner();
    const unitOfWork = new UnitOfWork(runner, bind);
    const seen = await Promise.all([1, 2, 3].map(() => unitOfWork.run(async (tx) => tx.boundTo.transaction)));
    expect(new Set(seen).size).toBe(3);
  });

  it('lets the error of failed work through, so the runner rolls the transaction back', async () => {
    const { runner, outcomes } = recordingRunner();
    const unitOfWork = new UnitOfWork(runner, bind);
    const refusal = new Error('refused halfway');
    await expect(unitOfWork.run(async () => Promise.reject(refusal))).rejects.toBe(refusal);
    expect(outcomes).toEqual(['rollback']);
  });
});
