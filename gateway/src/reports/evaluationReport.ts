import { stringify } from 'csv-stringify/sync';
import ExcelJS from 'exceljs';

const FIGURES = `effectiveHours externalServiceHours otherProvinceServiceHours uses usersServed institutionsServed noShows lateCancellations
      ratings averageRating serviceRequests samples incomeFen`;
const EVALUATION = `evaluation(from: $from, to: $to) {
    province from to
    instruments { assetCode name nameZh model category institution figures { ${FIGURES} } }
    institutions { institution instruments figures { ${FIGURES} } }
    total { ${FIGURES} }
  }`;

/** Both provinces' evaluation in one request: what the export sends to the gateway, as any partner could. */
export const EVALUATION_QUERY = `query EvaluationExport($from: DateTime!, $to: DateTime!) {
  sichuan { ${EVALUATION} }
  chongqing { ${EVALUATION} }
}`;

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
  from: string;
  to: string;
  instruments: { assetCode: string; name: string; nameZh: string; model: string | null; category: string; institution: string; figures: EvaluationFigures }[];
  institutions: { institution: string; instruments: number; figures: EvaluationFigures }[];
  total: EvaluationFigures;
}

type Cell = string | number | null;

/**
 * The figure columns of the evaluation's forms, in their order, with the forms' Chinese heading and an English one.
 * A figure a province does not give is an empty cell, never a zero that would read as "none".
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
  { header: '服务收入(元) Income (yuan)', value: (f) => (f.incomeFen === null ? null : yuanOfFen(f.incomeFen)) },
];

/** The three forms: per instrument, per owner institution, per province. */
export interface EvaluationSheets {
  readonly instruments: Cell[][];
  readonly institutions: Cell[][];
  readonly provinces: Cell[][];
}

const PROVINCE_NAMES: Record<string, string> = { SICHUAN: '四川 Sichuan', CHONGQING: '重庆 Chongqing' };

/** Each form as rows, heading first; a province the gateway could not reach is left out (its registry was null). */
export function evaluationSheets(provinces: readonly ProvinceEvaluation[]): EvaluationSheets {
  const figures = (f: EvaluationFigures) => FIGURE_COLUMNS.map((column) => column.value(f));
  const name = (code: string) => PROVINCE_NAMES[code] ?? code;
  const headers = FIGURE_COLUMNS.map((column) => column.header);
  return {
    instruments: [
      ['省份 Province', '单位 Institution', '资产编号 Asset code', '仪器名称 Instrument', 'Instrument (English)', '型号 Model', '分类 Category', ...headers],
      ...provinces.flatMap((p) => p.instruments.map((i) => [name(p.province), i.institution, i.assetCode, i.nameZh, i.name, i.model, i.category, ...figures(i.figures)])),
    ],
    institutions: [
      ['省份 Province', '单位 Institution', '仪器台套数 Instruments', ...headers],
      ...provinces.flatMap((p) => p.institutions.map((i) => [name(p.province), i.institution, i.instruments, ...figures(i.figures)])),
    ],
    provinces: [
      ['省份 Province', '起 From', '止 To', '仪器台套数 Instruments', ...headers],
      ...provinces.map((p) => [name(p.province), p.from, p.to, p.instruments.length, ...figures(p.total)]),
    ],
  };
}

/** One CSV: the three forms one after the other, each under its title row, with a byte-order mark so spreadsheets read UTF-8. */
export function evaluationCsv(sheets: EvaluationSheets): string {
  const rows: Cell[][] = [
    ['按仪器 By instrument'], ...sheets.instruments, [],
    ['按单位 By institution'], ...sheets.institutions, [],
    ['按省份 By province'], ...sheets.provinces,
  ];
  return `\uFEFF${stringify(rows.map((row) => row.map((cell) => cell ?? '')))}`;
}

/** One workbook, a sheet per form, headings bold and frozen. */
export async function evaluationXlsx(sheets: EvaluationSheets): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  workbook.creator = 'Shuangcheng';
  for (const [title, rows] of [['按仪器 By instrument', sheets.instruments], ['按单位 By institution', sheets.institutions], ['按省份 By province', sheets.provinces]] as const) {
    const sheet = workbook.addWorksheet(title, { views: [{ state: 'frozen', ySplit: 1 }] });
    for (const row of rows) sheet.addRow(row);
    sheet.getRow(1).font = { bold: true };
    sheet.columns.forEach((column) => {
      column.width = 16;
    });
  }
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

/** "123456" fen → 1234.56 yuan, exactly (string arithmetic, no floating point on the way). */
export function yuanOfFen(fen: string): number {
  const negative = fen.startsWith('-');
  const digits = (negative ? fen.slice(1) : fen).padStart(3, '0');
  return Number(`${negative ? '-' : ''}${digits.slice(0, -2)}.${digits.slice(-2)}`);
}
