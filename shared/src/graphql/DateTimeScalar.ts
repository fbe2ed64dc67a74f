import { GraphQLError, GraphQLScalarType, Kind } from 'graphql';
import { ErrorCode } from '../errors/ErrorCode';

const ISO_DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2})$/;

function parse(value: unknown): Date {
  if (typeof value !== 'string' || !ISO_DATE_TIME.test(value)) {
    throw new GraphQLError(`DateTime must be an ISO-8601 string with a time zone, such as "2026-12-01T09:00:00+08:00"; got ${JSON.stringify(value)?.slice(0, 60)}.`, {
      extensions: { code: ErrorCode.BAD_USER_INPUT },
    });
  }
  const date = new Date(value);
  const year = date.getUTCFullYear();
  if (Number.isNaN(date.getTime()) || year < 1900 || year > 2200 || !isRealCalendarDay(value)) {
    throw new GraphQLError(`DateTime ${JSON.stringify(value)} is not a real date between 1900 and 2200.`, { extensions: { code: ErrorCode.BAD_USER_INPUT } });
  }
  return date;
}

/** JavaScript's Date rolls 30 February over to 2 March; a date-time input must name a day that exists. */
function isRealCalendarDay(value: string): boolean {
  const [y, m, d] = value.slice(0, 10).split('-').map(Number) as [number, number, number];
  const day = new Date(Date.UTC(y, m - 1, d));
  return day.getUTCFullYear() === y && day.getUTCMonth() === m - 1 && day.getUTCDate() === d;
}

/** ISO-8601 date-times in and out; inputs must carry a time zone so "09:00" is never ambiguous across servers. */
export const DateTimeScalar = new GraphQLScalarType<Date, string>({
  name: 'DateTime',
  description: 'An ISO-8601 date-time with a time zone, e.g. 2026-11-25T09:00:00.000Z.',
  serialize(value) {
    const date = value instanceof Date ? value : new Date(value as string);
    if (Number.isNaN(date.getTime())) throw new GraphQLError('DateTime cannot represent an invalid date');
    return date.toISOString();
  },
  parseValue: parse,
  parseLiteral(ast) {
    if (ast.kind !== Kind.STRING) throw new GraphQLError('DateTime must be given as a string.', { extensions: { code: ErrorCode.BAD_USER_INPUT } });
    return parse(ast.value);
  },
});
