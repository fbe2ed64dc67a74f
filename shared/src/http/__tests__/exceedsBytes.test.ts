import { exceedsBytes } from '../startHttpServer';

describe('exceedsBytes', () => {
  it.each([
    ['ASCII', 'a'],
    ['two-byte', 'é'],
    ['three-byte (CJK)', '仪'],
    ['four-byte (a surrogate pair)', '🔬'],
    ['mixed', 'a仪é🔬'],
  ])('agrees with the UTF-8 byte count at every limit around it: %s', (_, unit) => {
    for (let repeat = 1; repeat <= 40; repeat += 1) {
      const text = unit.repeat(repeat);
      const bytes = Buffer.byteLength(text);
      for (let limit = 0; limit <= bytes * 2 + 2; limit += 1) expect([text, limit, exceedsBytes(text, limit)]).toEqual([text, limit, bytes > limit]);
    }
  });
});
