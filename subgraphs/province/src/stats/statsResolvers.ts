import type { ProvinceRequest } from '../ProvinceRequest';
import type { EvaluationService } from './EvaluationService';
import type { StatsService } from './StatsService';

/** What the stats resolvers read from a request. */
export interface StatsContext extends ProvinceRequest {
  readonly services: { readonly stats: StatsService; readonly evaluation: EvaluationService };
}

/** `<Province>Registry.stats`: the dashboard figures of a period. */
export const statsRegistryResolvers = {
  stats: (_: unknown, { from, to }: { from?: Date | null; to?: Date | null }, { services }: StatsContext) => services.stats.forPeriod(from, to),
  evaluation: (_: unknown, { from, to }: { from: Date; to: Date }, { services }: StatsContext) => services.evaluation.forPeriod(from, to),
};
