import { badUserInput, checkPageSize, cursorCodec, isUuid, toConnection, type Connection, type ProvinceDefinition } from '../../../../shared/src';
import type { EvaluatedInstrument, EvaluationPosition, EvaluationRepository, EvaluationSums, EvaluationTotals } from './EvaluationRepository';
import { resolvePeriod } from './StatsService';

/** One row's figures, as the API gives them. */
export interface EvaluationFigures {
  effectiveHours: number;
  externalServiceHours: number;
  otherProvinceServiceHours: number;
  uses: number;
  usersServed: number;
  institutionsServed: number;
  noShows: number;
  lateCancellations: number;
  ratings: number;
  averageRating: number | null;
  serviceRequests: number | null;
  samples: number | null;
  incomeFen: string | null;
}

export interface InstrumentEvaluation {
  instrumentId: string;
  assetCode: string;
  name: string;
  nameZh: string;
  model: string | null;
  category: string;
  institution: string;
  status: string;
  figures: EvaluationFigures;
}

/**
 * One province's evaluation over a period, as the root field gives it: its fields read the database only when
 * asked, the totals once however many of their fields are.
 */
export interface ProvinceEvaluation {
  readonly province: string;
  readonly from: Date;
  readonly to: Date;
  readonly totals: () => Promise<EvaluationTotals>;
}

/** Position in the instruments' order: owner institution, name, instrument id. */
export const evaluationCursor = cursorCodec<EvaluationPosition>(
  ({ institution, name, id }) => [institution, name, id],
  ([institution, name, id, ...rest]) =>
    institution !== undefined && name !== undefined && id !== undefined && isUuid(id) && rest.length === 0 ? { institution, name, id } : null,
);

/**
 * The national open-sharing evaluation of large instruments, for one province and period: effective machine hours
 * (actual use), external and other-province service hours, people and institutions served, no-shows, late
 * cancellations and ratings, service requests reported, their samples and income; per instrument (a page at a time),
 * per owner institution and for the province.
 */
export class EvaluationService {
  constructor(
    private readonly province: ProvinceDefinition,
    private readonly evaluation: EvaluationRepository,
    private readonly globalIdOf: (localId: string) => string,
  ) {}

  forPeriod(from: Date, to: Date, now = new Date()): ProvinceEvaluation {
    if (!from || !to) throw badUserInput('Give both from and to, e.g. a calendar year.', { argument: 'from' });
    const period = resolvePeriod(from, to, now);
    let totals: Promise<EvaluationTotals> | undefined;
    return { province: this.province.code, ...period, totals: () => (totals ??= this.evaluation.totals(period)) };
  }

  /** A page of instruments with their figures, after the cursor: one statement, whatever the page's size. */
  async instruments(report: ProvinceEvaluation, args: { first?: number | null; after?: string | null }): Promise<Connection<InstrumentEvaluation>> {
    const first = checkPageSize(args.first ?? 100);
    const after = evaluationCursor.decode(args.after);
    const rows = await this.evaluation.page(report, after, first + 1);
    return toConnection(rows.slice(0, first), rows.length > first, (row) => evaluationCursor.encode(row), (row) => this.instrumentEvaluation(row));
  }

  private instrumentEvaluation({ id, assetCode, name, nameZh, model, category, institution, status, sums }: EvaluatedInstrument): InstrumentEvaluation {
    return { instrumentId: this.globalIdOf(id), assetCode, name, nameZh, model, category, institution, status, figures: figures(sums) };
  }
}

/** Hours to two decimals from exact seconds; the average rating to two decimals. */
export function figures(sums: EvaluationSums): EvaluationFigures {
  return {
    effectiveHours: hours(sums.seconds),
    externalServiceHours: hours(sums.externalSeconds),
    otherProvinceServiceHours: hours(sums.otherProvinceSeconds),
    uses: sums.uses,
    usersServed: sums.users,
    institutionsServed: sums.institutions,
    noShows: sums.noShows,
    lateCancellations: sums.lateCancellations,
    ratings: sums.ratings,
    averageRating: sums.ratings > 0 ? Math.round((sums.ratingSum / sums.ratings) * 100) / 100 : null,
    serviceRequests: sums.serviceRequests,
    samples: sums.samples,
    incomeFen: sums.incomeFen,
  };
}

const hours = (seconds: number) => Math.round((seconds / 3600) * 100) / 100;
