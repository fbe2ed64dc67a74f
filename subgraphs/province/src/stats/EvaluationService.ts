import { badUserInput, type ProvinceDefinition } from '../../../../shared/src';
import type { EvaluatedInstrument, EvaluationRepository, EvaluationSums } from './EvaluationRepository';
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

export interface ProvinceEvaluation {
  province: string;
  from: Date;
  to: Date;
  instruments: (Omit<EvaluatedInstrument, 'id'> & { instrumentId: string; figures: EvaluationFigures })[];
  institutions: { institution: string; instruments: number; figures: EvaluationFigures }[];
  total: EvaluationFigures;
}

const NO_SUMS: Omit<EvaluationSums, 'instrumentId' | 'institution'> = {
  seconds: 0, externalSeconds: 0, otherProvinceSeconds: 0, uses: 0, users: 0, institutions: 0, noShows: 0, lateCancellations: 0, ratings: 0, ratingSum: 0,
  serviceRequests: 0, samples: 0, incomeFen: '0',
};

/**
 * The national open-sharing evaluation of large instruments, for one province and period: effective machine hours
 * (actual use), external and other-province service hours, people and institutions served, no-shows, late
 * cancellations and ratings, service requests reported, their samples and income; per instrument, per owner institution and for the province.
 */
export class EvaluationService {
  constructor(
    private readonly province: ProvinceDefinition,
    private readonly evaluation: EvaluationRepository,
    private readonly globalIdOf: (localId: string) => string,
  ) {}

  async forPeriod(from: Date, to: Date, now = new Date()): Promise<ProvinceEvaluation> {
    if (!from || !to) throw badUserInput('Give both from and to, e.g. a calendar year.', { argument: 'from' });
    const period = resolvePeriod(from, to, now);
    const rows = await this.evaluation.read(period);
    const byInstrument = new Map(rows.sums.filter((s) => s.instrumentId !== null).map((s) => [s.instrumentId!, s]));
    const byInstitution = new Map(rows.sums.filter((s) => s.instrumentId === null && s.institution !== null).map((s) => [s.institution!, s]));
    const total = rows.sums.find((s) => s.instrumentId === null && s.institution === null);
    const institutions = [...new Set(rows.instruments.map((i) => i.institution))].sort();
    return {
      province: this.province.code,
      ...period,
      instruments: rows.instruments.map(({ id, ...instrument }) => ({ ...instrument, instrumentId: this.globalIdOf(id), figures: figures(byInstrument.get(id)) })),
      institutions: institutions.map((institution) => ({
        institution,
        instruments: rows.instruments.filter((i) => i.institution === institution).length,
        figures: figures(byInstitution.get(institution)),
      })),
      total: figures(total),
    };
  }
}

/** Hours to two decimals from exact seconds; the average rating to two decimals. */
export function figures(sums: Omit<EvaluationSums, 'instrumentId' | 'institution'> = NO_SUMS): EvaluationFigures {
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
