import { GraphQLError } from 'graphql';
import pino from 'pino';
import { createErrorFormatter } from '../formatGraphQLError';

const format = createErrorFormatter(pino({ level: 'silent' }));

/** How a resolver's error reaches the formatter: wrapped in a GraphQLError with a path. */
function formatted(original: Error) {
  const wrapped = new GraphQLError(original.message, { path: ['sichuan', 'instruments'], originalError: original });
  return format({ message: original.message, path: ['sichuan', 'instruments'], extensions: { code: 'INTERNAL_SERVER_ERROR' } }, wrapped);
}

describe('createErrorFormatter: the database going away', () => {
  it.each([
    ['a refused connection', Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5433'), { code: 'ECONNREFUSED' })],
    ['an administrator shutdown', Object.assign(new Error('terminating connection due to administrator command'), { code: '57P01' })],
    ['a connection dropped mid-query', new Error('Connection terminated unexpectedly')],
    ['a broken pooled client', new Error('Client has encountered a connection error and is not queryable')],
  ])('answers %s with SERVICE_UNAVAILABLE and nothing of the cause', (_what, cause) => {
    const answer = formatted(cause);
    expect(answer.extensions).toEqual({ code: 'SERVICE_UNAVAILABLE' });
    expect(answer.message).toBe('The database behind this service is unavailable or busy; retry shortly.');
  });

  it('still answers an unknown error as an internal one', () => {
    expect(formatted(new Error('something else')).extensions).toEqual({ code: 'INTERNAL_SERVER_ERROR' });
  });
});
