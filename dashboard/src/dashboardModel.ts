import type { Category, DashboardData, LabInstrument, ProvinceStats, RegistryFigures, TalentTier } from './dashboardQuery';
import type { GraphQLError } from './graphqlClient';
import { PROVINCE_KEYS, TIERS, type ProvinceKey } from './labels';
import type { Period } from './period';

/** What the page shows after one answer: per province its figures, or null when it could not answer. */
export interface DashboardModel {
  readonly period: Period;
  readonly category: string | null;
  readonly provinces: Readonly<Record<ProvinceKey, RegistryFigures | null>>;
  /** Provinces whose registry is missing from the answer. */
  readonly unavailable: readonly ProvinceKey[];
  /** Error messages not explained by a province being down (no stack traces reach the page: the API sends none). */
  readonly otherErrors: readonly string[];
  /** Every category either province knows, by English name. */
  readonly categories: readonly Category[];
  /** The calendar days of the period (UTC+8), from whichever province answered. */
  readonly days: readonly string[];
}

/**
 * A province is unavailable when its registry is null: the gateway nulls a
 * province's root when its subgraph fails, and a field error inside it (e.g.
 * in `stats`) bubbles up to that root too, since those fields are non-null.
 */
export function toDashboardModel(
  data: DashboardData | null,
  errors: readonly GraphQLError[],
  period: Period,
  category: string | null,
): DashboardModel {
  const provinces = { sichuan: data?.sichuan ?? null, chongqing: data?.chongqing ?? null };
  const unavailable = PROVINCE_KEYS.filter((key) => provinces[key] === null);
  // Errors at a province's root, or without a path while a province is missing, are that outage.
  const otherErrors = errors
    .filter((error) => {
      const root = error.path?.[0];
      if (typeof root === 'string' && (PROVINCE_KEYS as readonly string[]).includes(root) && unavailable.includes(root as ProvinceKey)) return false;
      return !(error.path === undefined && unavailable.length > 0);
    })
    .map((error) => error.message);
  const answered = PROVINCE_KEYS.map((key) => provinces[key]).filter((figures): figures is RegistryFigures => figures !== null);
  const byCode = new Map<string, Category>();
  for (const figures of answered) for (const c of figures.categories) if (!byCode.has(c.code)) byCode.set(c.code, c);
  const categories = [...byCode.values()].sort((a, b) => a.nameEn.localeCompare(b.nameEn));
  const days = answered[0]?.stats.bookingsPerDay.map((row) => row.day) ?? [];
  return { period, category, provinces, unavailable, otherErrors: [...new Set(otherErrors)], categories, days };
}

export const sum = (values: readonly number[]): number => values.reduce((total, value) => total + value, 0);

export function countOf(rows: readonly { key: string; count: number }[], key: string): number {
  return rows.find((row) => row.key === key)?.count ?? 0;
}

/** Instruments not retired, of one category or all (the API leaves retired ones out of both counts). */
export function instrumentCountOf(stats: ProvinceStats, category: string | null): number {
  return category === null ? stats.instruments : countOf(stats.instrumentsByCategory, category);
}

/** Hours of actual use over opening hours in the period, for one category or all. Null when nothing was open. */
export function utilisationOf(stats: ProvinceStats, category: string | null): number | null {
  const rows = stats.utilisationByCategory.filter((row) => category === null || row.category === category);
  const open = sum(rows.map((row) => row.openHours));
  if (open === 0) return null;
  // One category: the API's own figure; all: the same ratio over the sums.
  return rows.length === 1 ? rows[0]!.utilisation : sum(rows.map((row) => row.usedHours)) / open;
}

/**
 * Utilisation per day, in percent with one decimal. The period is whole days
 * and the API's opening hours count every instrument in service on every day,
 * so one day's opening hours are the period's divided by its days.
 */
export function dailyUtilisationPercent(stats: ProvinceStats): number[] {
  const days = stats.bookingsPerDay.length;
  const openPerDay = days === 0 ? 0 : sum(stats.utilisationByCategory.map((row) => row.openHours)) / days;
  return stats.bookingsPerDay.map((row) => (openPerDay === 0 ? 0 : Math.round((row.usedHours / openPerDay) * 1000) / 10));
}

export const formatPercent = (ratio: number | null): string => (ratio === null ? '–' : `${(ratio * 100).toFixed(1)}%`);

/** The tiers that qualify for an item whose lowest qualifying tier is `minimum` (A is the highest). */
export function qualifyingTiers(minimum: TalentTier): string {
  const last = TIERS.indexOf(minimum);
  return last <= 0 ? 'A' : `A–${minimum}`;
}

export interface RecognitionRow {
  readonly code: string;
  readonly name: string;
  readonly nameZh: string;
  /**
   * Per granting province: its lowest qualifying tier for the partner's card
   * holders, null when it does not grant the item, undefined when that
   * province is unavailable.
   */
  readonly grants: Readonly<Record<ProvinceKey, { minimumTier: TalentTier; provider: string } | null | undefined>>;
}

/** The eight mutually recognised items × the two granting provinces. */
export function recognitionMatrix(model: DashboardModel): RecognitionRow[] {
  const codes = new Map<string, { name: string; nameZh: string }>();
  for (const key of PROVINCE_KEYS) {
    for (const item of model.provinces[key]?.recognitionCatalog ?? []) {
      if (!codes.has(item.code)) codes.set(item.code, { name: item.name, nameZh: item.nameZh });
    }
  }
  return [...codes.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([code, names]) => {
      const grants = {} as Record<ProvinceKey, RecognitionRow['grants'][ProvinceKey]>;
      for (const key of PROVINCE_KEYS) {
        const catalog = model.provinces[key]?.recognitionCatalog;
        const item = catalog?.find((entry) => entry.code === code);
        grants[key] = catalog === undefined ? undefined : item ? { minimumTier: item.minimumTier, provider: item.provider } : null;
      }
      return { code, ...names, grants };
    });
}

/** A joint lab's instruments split into its own and the partner province's; null items are ones whose owner did not answer. */
export function splitLabInstruments(owner: ProvinceKey, instruments: readonly (LabInstrument | null)[]) {
  const ownType = owner === 'sichuan' ? 'SichuanInstrument' : 'ChongqingInstrument';
  const present = instruments.filter((item): item is LabInstrument => item !== null);
  return {
    own: present.filter((item) => item.__typename === ownType),
    partner: present.filter((item) => item.__typename !== ownType),
    missing: instruments.length - present.length,
  };
}
