import type { ChargeService } from '../charges/ChargeService';
import { loadersPerRequest } from '../createLoaders';
import type { ProvinceRepositories } from '../provinceRepositories';

/** Repositories that count what they are asked; only instruments and labs answer. */
function countingRepositories() {
  const asked: string[] = [];
  const instruments = {
    findByIds: async (ids: readonly string[]) => {
      asked.push(`instruments ${ids.join(',')}`);
      return ids.map((id) => ({ id }));
    },
    findByLabIds: async (ids: readonly string[]) => ids.map(() => []),
  };
  const labs = {
    findCardsByIds: async (ids: readonly string[]) => {
      asked.push(`labs ${ids.join(',')}`);
      return ids.map((id) => ({ id }));
    },
  };
  return { repositories: { instruments, labs } as unknown as ProvinceRepositories, asked };
}

describe('loadersPerRequest', () => {
  const charges = {} as Pick<ChargeService, 'views'>;

  it("gives every request loaders of its own, each one batching that request's reads", async () => {
    const { repositories, asked } = countingRepositories();
    const newLoaders = loadersPerRequest(repositories, charges);
    const first = newLoaders();
    const second = newLoaders();
    expect(first.instruments).toBe(first.instruments);
    expect(first.instruments).not.toBe(second.instruments);
    await Promise.all([first.instruments.load('a'), first.instruments.load('b'), second.instruments.load('a')]);
    expect(asked.sort()).toEqual(['instruments a', 'instruments a,b']);
    // A request's cache is its own: the first request's `a` is not asked again, the second's was its own read.
    await first.instruments.load('a');
    expect(asked).toHaveLength(2);
  });

  it('offers every feature\'s loaders by name, as the resolvers read them', () => {
    const loaders = loadersPerRequest(countingRepositories().repositories, charges)();
    for (const name of ['instruments', 'labInstruments', 'labs']) expect(loaders).toHaveProperty(name);
    expect(Object.keys(Object.getPrototypeOf(loaders)).length).toBeGreaterThan(10);
  });

  it('makes a feature\'s loaders only when the request first reads one of them', async () => {
    const { repositories, asked } = countingRepositories();
    const loaders = loadersPerRequest(repositories, charges)();
    const made = (loaders as unknown as { made: unknown[] }).made;
    expect(made.filter(Boolean)).toHaveLength(0);
    await loaders.labs.load('x');
    expect(made.filter(Boolean)).toHaveLength(1);
    expect(asked).toEqual(['labs x']);
  });
});
