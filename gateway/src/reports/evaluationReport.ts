import type { EvaluationExportTotalsQuery, ExportFiguresFragment, ExportInstrumentPageFragment } from './evaluationExport.generated';

export type EvaluationFigures = ExportFiguresFragment;
/** One province's totals as the export asks for them (`evaluationExport.graphql`). */
export type ProvinceTotals = NonNullable<EvaluationExportTotalsQuery['sichuan']>['evaluation'];
/** One instrument's row of a page. */
export type InstrumentEvaluation = ExportInstrumentPageFragment['edges'][number]['node'];

export type Cell = string | number | null;

/**
 * The figure columns of the evaluation's forms, in their order, with the forms' Chinese heading and an English one.
 * A figure with no value (no rating, no use to take a share of) is an empty cell, never a zero that would read as "none".
 */
export const FIGURE_COLUMNS: readonly { readonly header: string; readonly value: (figures: EvaluationFigures) => Cell }[] = [
  { header: '有效机时 Effective hours', value: (f) => f.effectiveHours },
  { header: '对外服务机时 External service hours', value: (f) => f.externalServiceHours },
  { header: '对外服务占比 External share', value: (f) => (f.effectiveHours > 0 ? Math.round((f.externalServiceHours / f.effectiveHours) * 10_000) / 10_000 : null) },
  { header: '跨省服务机时 Other-province service hours', value: (f) => f.otherProvinceServiceHours },
  { header: '服务次数 Uses', value: (f) => f.uses },
  { header: '服务用户数 Users served', value: (f) => f.usersServed },
  { header: '服务单位数 Institutions served', value: (f) => f.institutionsServed },
  { header: '爽约次数 No-shows', value: (f) => f.noShows },
  { header: '逾期取消 Late cancellations', value: (f) => f.lateCancellations },
  { header: '评价次数 Ratings', value: (f) => f.ratings },
  { header: '平均评分 Average rating', value: (f) => f.averageRating },
  { header: '服务申请 Service requests', value: (f) => f.serviceRequests },
  { header: '样品数 Samples', value: (f) => f.samples },
  { header: '服务收入(元) Income (yuan)', value: (f) => yuanOfFen(f.incomeFen) },
];

/** The three forms' titles: per instrument, per owner institution, per province (sheet names of the workbook). */
export const FORM_TITLES = { instruments: '按仪器 By instrument', institutions: '按单位 By institution', provinces: '按省份 By province' } as const;

const PROVINCE_NAMES: Record<string, string> = { SICHUAN: '四川 Sichuan', CHONGQING: '重庆 Chongqing' };
const provinceName = (code: string) => PROVINCE_NAMES[code] ?? code;
const figureCells = (f: EvaluationFigures) => FIGURE_COLUMNS.map((column) => column.value(f));
const figureHeaders = () => FIGURE_COLUMNS.map((column) => column.header);

/** The per-instrument form's heading row. */
export const instrumentHeader = (): Cell[] =>
  ['省份 Province', '单位 Institution', '资产编号 Asset code', '仪器名称 Instrument', 'Instrument (English)', '型号 Model', '分类 Category', ...figureHeaders()];

/** One instrument's row of the per-instrument form. */
export const instrumentRow = (province: string, i: InstrumentEvaluation): Cell[] =>
  [provinceName(province), i.institution, i.assetCode, i.nameZh, i.name, i.model, i.category, ...figureCells(i.figures)];

/** The per-institution form, heading first; a province the gateway could not reach is left out. */
export const institutionForm = (provinces: readonly ProvinceTotals[]): Cell[][] => [
  ['省份 Province', '单位 Institution', '仪器台套数 Instruments', ...figureHeaders()],
  ...provinces.flatMap((p) => p.institutions.map((i) => [provinceName(p.province), i.institution, i.instruments, ...figureCells(i.figures)])),
];

/** The per-province form, heading first. */
export const provinceForm = (provinces: readonly ProvinceTotals[]): Cell[][] => [
  ['省份 Province', '起 From', '止 To', '仪器台套数 Instruments', ...figureHeaders()],
  ...provinces.map((p) => [provinceName(p.province), p.from, p.to, p.instrumentCount, ...figureCells(p.total)]),
];

/** "123456" fen → 1234.56 yuan, exactly (string arithmetic, no floating point on the way). */
export function yuanOfFen(fen: string): number {
  const negative = fen.startsWith('-');
  const digits = (negative ? fen.slice(1) : fen).padStart(3, '0');
  return Number(`${negative ? '-' : ''}${digits.slice(0, -2)}.${digits.slice(-2)}`);
}
