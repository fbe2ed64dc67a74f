import { PassThrough } from 'node:stream';
import { parse } from 'csv-parse/sync';
import { FIGURE_COLUMNS, institutionForm, instrumentHeader, instrumentRow, provinceForm, yuanOfFen, type Cell, type EvaluationFigures, type ProvinceTotals } from '../evaluationReport';
import { csvFormWriter } from '../evaluationWriters';

const figures = (over: Partial<EvaluationFigures> = {}): EvaluationFigures => ({
  effectiveHours: 10, externalServiceHours: 4, otherProvinceServiceHours: 1, uses: 5, usersServed: 3, institutionsServed: 2, noShows: 1,
  lateCancellations: 0, ratings: 0, averageRating: null, serviceRequests: 0, samples: 0, incomeFen: '123456', ...over,
});

describe('yuanOfFen', () => {
  it.each([['123456', 1234.56], ['5', 0.05], ['0', 0], ['-250', -2.5], ['100000000000001', 1000000000000.01]])('%s fen is %s yuan', (fen, yuan) => {
    expect(yuanOfFen(fen)).toBe(yuan);
  });
});

describe('the evaluation forms', () => {
  const province: ProvinceTotals = {
    province: 'SICHUAN', from: '2025-01-01T00:00:00+08:00', to: '2026-01-01T00:00:00+08:00', instrumentCount: 1,
    institutions: [{ institution: 'SCU', instruments: 1, figures: figures() }],
    total: figures({ effectiveHours: 0, externalServiceHours: 0 }),
  };

  it('lays each form out with the forms’ headings, leaving figures with no value empty', () => {
    const header = instrumentHeader();
    const row = instrumentRow('SICHUAN', { assetCode: 'SC-1', name: 'NMR', nameZh: '核磁', model: 'AVANCE', category: 'NMR', institution: 'SCU', figures: figures() });
    expect(header.slice(0, 3)).toEqual(['省份 Province', '单位 Institution', '资产编号 Asset code']);
    expect(row.slice(0, 3)).toEqual(['四川 Sichuan', 'SCU', 'SC-1']);
    expect(row[header.indexOf('对外服务占比 External share')]).toBe(0.4);
    expect(row[header.indexOf('服务收入(元) Income (yuan)')]).toBe(1234.56);
    expect(row[header.indexOf('平均评分 Average rating')]).toBeNull();
    expect(institutionForm([province])[1]!.slice(0, 3)).toEqual(['四川 Sichuan', 'SCU', 1]);
    // No use: the share is empty, not a division by zero.
    const provinces = provinceForm([province]);
    expect(provinces[1]![provinces[0]!.indexOf('对外服务占比 External share')]).toBeNull();
    expect(provinces[1]![provinces[0]!.indexOf('仪器台套数 Instruments')]).toBe(1);
    expect(header).toHaveLength(7 + FIGURE_COLUMNS.length);
  });
});

describe('the evaluation files', () => {
  // Names come from the provinces' registries: one that starts like a formula must reach a spreadsheet as text.
  const hostile = ['=HYPERLINK("http://attacker.example","x")', '+1', '-1+1', '@SUM(A1)', '\t=1'];
  const header: Cell[] = ['名称 Name', '数 Count'];
  const rows: Cell[][] = hostile.map((name, index) => [name, -index]);

  async function written(writerOf: typeof csvFormWriter): Promise<Buffer> {
    const out = new PassThrough();
    const parts: Buffer[] = [];
    out.on('data', (part: Buffer) => parts.push(part));
    const writer = writerOf(out, header);
    await writer.instruments(rows);
    await writer.finish([header], [header]);
    return Buffer.concat(parts);
  }

  // The XLSX writer's text cells are checked end to end, with such names in the registry: test/e2e/evaluationExport.test.ts.
  it('writes CSV text that starts like a formula with a leading apostrophe, and numbers as they are', async () => {
    const [, , ...body] = parse((await written(csvFormWriter)).toString('utf8'), { bom: true, relaxColumnCount: true }) as string[][];
    expect(body.slice(0, hostile.length)).toEqual(hostile.map((name, index) => [`'${name}`, String(-index)]));
  });
});
