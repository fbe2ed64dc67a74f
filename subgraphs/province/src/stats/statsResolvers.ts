import type { ProvinceRequest } from '../ProvinceRequest';
import { figures, type EvaluationService, type ProvinceEvaluation } from './EvaluationService';
import type { StatsService } from './StatsService';

/** What the stats resolvers read from a request. */
export interface StatsContext extends ProvinceRequest {
  readonly services: { readonly stats: StatsService; readonly evaluation: EvaluationService };
}

/** `<Province>Registry.stats` and `.evaluation`: the dashboard figures and the open-sharing evaluation of a period. */
export const statsRegistryResolvers = {
  stats: (_: unknown, { from, to }: { from?: Date | null; to?: Date | null }, { services }: StatsContext) => services.stats.forPeriod(from, to),
  evaluation: (_: unknown, { from, to }: { from: Date; to: Date }, { services }: StatsContext) => services.evaluation.forPeriod(from, to),
};

/** `<Province>Evaluation`: a page of instruments, or the totals (read once per evaluation, whichever of them are asked). */
export const evaluationResolvers = {
  instruments: (report: ProvinceEvaluation, args: { first?: number | null; after?: string | null }, { services }: StatsContext) =>
    services.evaluation.instruments(report, args),
  instrumentCount: async (report: ProvinceEvaluation) => (await report.totals()).instruments,
  institutions: async (report: ProvinceEvaluation) =>
    (await report.totals()).institutions.map(({ institution, instruments, sums }) => ({ institution, instruments, figures: figures(sums) })),
  total: async (report: ProvinceEvaluation) => figures((await report.totals()).total),
};
