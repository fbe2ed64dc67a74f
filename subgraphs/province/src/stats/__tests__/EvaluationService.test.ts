import { randomUUID } from 'node:crypto';
import { evaluationCursor, figures } from '../EvaluationService';

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
