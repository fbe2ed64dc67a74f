import { GraphQLError, Kind, type ValueNode } from 'graphql';
import { DateTimeScalar } from '../DateTimeScalar';

function expectBadUserInput(fn: () => unknown): GraphQLError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(GraphQLError);
    expect((error as GraphQLError).extensions.code).toBe('BAD_USER_INPUT');
    return error as GraphQLError;
  }
  throw new Error('expected a GraphQLError, but the call returned');
}

describe('DateTimeScalar', () => {
  describe('serialize', () => {
    it('writes a Date as an ISO-8601 UTC string', () => {
      expect(DateTimeScalar.serialize(new Date(Date.UTC(2026, 11, 1, 1, 0, 0, 0)))).toBe('2026-12-01T01:00:00.000Z');
    });

    it('normalises an ISO string with an offset to UTC', () => {
      expect(DateTimeScalar.serialize('2026-12-01T09:00:00+08:00')).toBe('2026-12-01T01:00:00.000Z');
    });

    it('refuses an invalid date', () => {
      expect(() => DateTimeScalar.serialize(new Date(Number.NaN))).toThrow(GraphQLError);
      expect(() => DateTimeScalar.serialize('not a date')).toThrow('invalid date');
    });
  });

  describe('parseValue', () => {
    it('accepts an ISO string in UTC (Z)', () => {
      const date = DateTimeScalar.parseValue('2026-11-25T09:00:00.000Z');
      expect(date).toBeInstanceOf(Date);
      expect(date.getTime()).toBe(Date.UTC(2026, 10, 25, 9, 0, 0));
    });

    it('accepts an ISO string with a +08:00 offset', () => {
      const date = DateTimeScalar.parseValue('2026-12-01T09:00:00+08:00');
      expect(date.toISOString()).toBe('2026-12-01T01:00:00.000Z');
    });

    it('accepts minutes-only and millisecond precision', () => {
      expect(DateTimeScalar.parseValue('2026-12-01T09:00Z').toISOString()).toBe('2026-12-01T09:00:00.000Z');
      expect(DateTimeScalar.parseValue('2026-12-01T09:00:00.5-05:00').toISOString()).toBe('2026-12-01T14:00:00.500Z');
    });

    it('rejects a date-time without a time zone, showing an example', () => {
      const error = expectBadUserInput(() => DateTimeScalar.parseValue('2026-12-01T09:00:00'));
      expect(error.message).toContain('time zone');
      expect(error.message).toContain('2026-12-01T09:00:00+08:00');
      expect(error.message).toContain('"2026-12-01T09:00:00"');
    });

    it.each([['garbage'], ['2026-12-01'], ['2026-12-01 09:00:00Z'], ['tomorrow at nine'], ['']])('rejects %j', (value) => {
      expectBadUserInput(() => DateTimeScalar.parseValue(value));
    });

    it.each([[1764579600000], [null], [undefined], [{}], [true]])('rejects the non-string %p', (value) => {
      expectBadUserInput(() => DateTimeScalar.parseValue(value));
    });

    it('rejects year 9999 as outside 1900–2200', () => {
      const error = expectBadUserInput(() => DateTimeScalar.parseValue('9999-01-01T00:00:00Z'));
      expect(error.message).toContain('between 1900 and 2200');
    });

    it('rejects a year before 1900 and accepts the bounds', () => {
      expectBadUserInput(() => DateTimeScalar.parseValue('1899-12-31T23:59:59Z'));
      expect(DateTimeScalar.parseValue('1900-01-01T00:00:00Z').getUTCFullYear()).toBe(1900);
      expect(DateTimeScalar.parseValue('2200-12-31T23:59:59Z').getUTCFullYear()).toBe(2200);
    });

    it.each([['2026-13-01T09:00:00Z'], ['2026-01-01T25:00:00Z'], ['2026-01-01T09:60:00Z']])('rejects the impossible date-time %s', (value) => {
      expectBadUserInput(() => DateTimeScalar.parseValue(value));
    });

    // JavaScript's Date would roll these over to the next month; a booking must never land on another day.
    it.each([['2026-02-30T09:00:00Z'], ['2026-04-31T09:00:00+08:00']])('rejects the non-existent day %s', (value) => {
      expectBadUserInput(() => DateTimeScalar.parseValue(value));
    });
  });

  describe('parseLiteral', () => {
    it('parses a string literal', () => {
      const ast: ValueNode = { kind: Kind.STRING, value: '2026-12-01T09:00:00+08:00' };
      expect(DateTimeScalar.parseLiteral(ast, {}).toISOString()).toBe('2026-12-01T01:00:00.000Z');
    });

    it('rejects a non-string literal', () => {
      const ast: ValueNode = { kind: Kind.INT, value: '1764579600000' };
      expectBadUserInput(() => DateTimeScalar.parseLiteral(ast, {}));
    });

    it('rejects a string literal without a time zone', () => {
      expectBadUserInput(() => DateTimeScalar.parseLiteral({ kind: Kind.STRING, value: '2026-12-01T09:00:00' }, {}));
    });
  });
});
