import { shareHiddenClass } from '../../testing/hiddenClasses';
import { OperationBudget, operationBudgetOf, withOperationBudget, type OperationShapeLimits } from '../OperationBudget';

const LIMITS: OperationShapeLimits = { maxDepth: 10, maxAliases: 10, maxRootFields: 10, maxFirst: 100, maxCost: 1_000, maxExpensiveFields: 5 };

describe('withOperationBudget', () => {
  it('carries the budget on a copy, leaving the context it was given as it was', () => {
    const budget = new OperationBudget(LIMITS);
    const context = { viewer: null, requestId: 'r-1' };
    const carried = withOperationBudget(context, budget);
    expect(carried).not.toBe(context);
    expect(carried).toMatchObject(context);
    expect(Object.keys(carried)).toEqual(Object.keys(context));
    expect(operationBudgetOf(carried)).toBe(budget);
    expect(operationBudgetOf(context)).toBeUndefined();
  });

  it('gives every request’s copy one hidden class (a spread with the budget after it made a new one each time)', () => {
    const budget = new OperationBudget(LIMITS);
    const copies = Array.from({ length: 30 }, (_, i) => withOperationBudget({ viewer: null, requestId: `r-${i}`, loaders: {} }, budget));
    // The last three: V8 copies a spread's first few objects another way.
    expect(shareHiddenClass(copies[27]!, copies[28]!)).toBe(true);
    expect(shareHiddenClass(copies[28]!, copies[29]!)).toBe(true);
  });
});
