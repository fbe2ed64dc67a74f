import type { ProvinceRequest } from '../ProvinceRequest';
import type { StatsService } from './StatsService';

/** What the stats resolvers read from a request. */
export interface StatsContext extends ProvinceRequest {
  readonly services: { readonly stats: StatsService };
}

/** `<Province>Registry.stats`: the dashboard figures of a period. */
export const statsRegistryResolvers = {
  stats: (_: unknown, { from, to }: { from?: Date | null; to?: Date | null }, { services }: StatsContext) => services.stats.forPeriod(from, to),
};
