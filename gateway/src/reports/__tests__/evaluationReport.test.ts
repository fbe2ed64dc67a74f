import { evaluationSheets, FIGURE_COLUMNS, yuanOfFen, type EvaluationFigures } from '../evaluationReport';

const figures = (over: Partial<EvaluationFigures> = {}): EvaluationFigures => ({
  effectiveHours: 10, externalServiceHours: 4, otherProvinceServiceHours: 1, uses: 5, usersServed: 3, institutionsServed: 2, noShows: 1,
  lateCancellations: 0, ratings: 2, averageRating: 4.5, serviceRequests: null, samples: null, incomeFen: null, ...over,
});

describe('yuanOfFen', () => {
  it.each([['123456', 1234.56], ['5', 0.05], ['0', 0], ['-250', -2.5], ['100000000000001', 1000000000000.01]])('%s fen is %s yuan', (fen, yuan) => {
    expect(yuanOfFen(fen)).toBe(yuan);
  });
});

describe('evaluationSheets', () => {
  const province = {
    province: 'SICHUAN', from: '2025-01-01T00:00:00+08:00', to: '2026-01-01T00:00:00+08:00',
    instruments: [{ assetCode: 'SC-1', name: 'NMR', nameZh: '核磁', model: 'AVANCE', category: 'NMR', institution: 'SCU', figures: figures() }],
    institutions: [{ institution: 'SCU', instruments: 1, figures: figures() }],
    total: figures({ effectiveHours: 0, externalServiceHours: 0 }),
  };

  it('lays each form out with the forms’ headings, leaving unrecorded figures empty', () => {
    const sheets = evaluationSheets([province]);
    const header = sheets.instruments[0]!;
    const row = sheets.instruments[1]!;
    expect(header.slice(0, 3)).toEqual(['省份 Province', '单位 Institution', '资产编号 Asset code']);
    expect(row[header.indexOf('对外服务占比 External share')]).toBe(0.4);
    expect(row[header.indexOf('服务收入(元) Income (yuan)')]).toBeNull();
    expect(sheets.institutions[1]!.slice(0, 3)).toEqual(['四川 Sichuan', 'SCU', 1]);
    // No use: the share is empty, not a division by zero.
    expect(sheets.provinces[1]![sheets.provinces[0]!.indexOf('对外服务占比 External share')]).toBeNull();
    expect(header).toHaveLength(7 + FIGURE_COLUMNS.length);
  });
});
