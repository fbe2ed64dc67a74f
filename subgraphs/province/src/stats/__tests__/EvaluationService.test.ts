import { randomUUID } from 'node:crypto';
import { PROVINCES } from '../../../../../shared/src';
import type { EvaluatedInstrument, EvaluationRepository } from '../EvaluationRepository';
import { EvaluationService, evaluationCursor, figures } from '../EvaluationService';

describe('evaluationCursor', () => {
  it('gives back the position it wrote, names with any characters included', () => {
    const position = { institution: 'Sichuan University, "West" campus', name: '核磁共振 NMR, 600 MHz', id: randomUUID() };
    expect(evaluationCursor.decode(evaluationCursor.encode(position))).toEqual(position);
    expect(evaluationCursor.decode(null)).toBeNull();
  });

  it.each([
    ['not base64 JSON', 'not a cursor'],
    ['too few parts', Buffer.from(JSON.stringify(['Sichuan University', 'NMR'])).toString('base64url')],
    ['an id that is not a UUID', Buffer.from(JSON.stringify(['Sichuan University', 'NMR', '42'])).toString('base64url')],
    ['a part too many', Buffer.from(JSON.stringify(['A', 'B', randomUUID(), 'x'])).toString('base64url')],
  ])('refuses %s as BAD_USER_INPUT on the argument after', (_, after) => {
    expect(() => evaluationCursor.decode(after)).toThrow(expect.objectContaining({ code: 'BAD_USER_INPUT', details: { argument: 'after' } }));
  });
});

describe('figures', () => {
  it('gives hours to two decimals from exact seconds and the average rating only when there are ratings', () => {
    const sums = {
      seconds: 5_400, externalSeconds: 1_800, otherProvinceSeconds: 0, uses: 2, users: 2, institutions: 1, noShows: 0, lateCancellations: 0,
      ratings: 3, ratingSum: 13, serviceRequests: 1, samples: 4, incomeFen: '123456789012345678',
    };
    expect(figures(sums)).toMatchObject({ effectiveHours: 1.5, externalServiceHours: 0.5, averageRating: 4.33, incomeFen: '123456789012345678' });
    expect(figures({ ...sums, ratings: 0, ratingSum: 0 }).averageRating).toBeNull();
  });
});

describe('EvaluationService.instruments', () => {
  const sums = {
    seconds: 3_600, externalSeconds: 0, otherProvinceSeconds: 0, uses: 1, users: 1, institutions: 1, noShows: 0, lateCancellations: 0,
    ratings: 0, ratingSum: 0, serviceRequests: 0, samples: 0, incomeFen: '0',
  };
  const rows: EvaluatedInstrument[] = ['A', 'B', 'C'].map((name) => ({
    institution: 'Sichuan University', name, id: randomUUID(), assetCode: `SC-${name}`, nameZh: name, model: null, category: 'NMR', status: 'IN_SERVICE', sums,
  }));
  const repository = { page: async (_period: unknown, _after: unknown, limit: number) => rows.slice(0, limit) } as unknown as EvaluationRepository;
  const service = new EvaluationService(PROVINCES.sichuan, repository, (id) => `sc:instrument:${id}`);

  it('encodes no edge cursor until one is read: a page of figures usually asks for the end cursor alone', async () => {
    const encode = jest.spyOn(evaluationCursor, 'encode');
    try {
      const page = await service.instruments(service.forPeriod(new Date('2026-01-01'), new Date('2026-06-01'), new Date('2026-12-01')), { first: 2 });
      expect(page.edges.map((edge) => edge.node)).toMatchObject([
        { instrumentId: `sc:instrument:${rows[0]!.id}`, assetCode: 'SC-A', figures: { effectiveHours: 1 } },
        { instrumentId: `sc:instrument:${rows[1]!.id}`, assetCode: 'SC-B' },
      ]);
      expect(encode).not.toHaveBeenCalled();
      expect(page.pageInfo).toEqual({ hasNextPage: true, endCursor: evaluationCursor.encode(rows[1]!) });
      expect(evaluationCursor.decode(page.edges[0]!.cursor)).toEqual({ institution: 'Sichuan University', name: 'A', id: rows[0]!.id });
    } finally {
      encode.mockRestore();
    }
  });
});
