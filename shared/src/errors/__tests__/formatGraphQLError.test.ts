import { GraphQLError } from 'graphql';
import pino from 'pino';
// The error classes' own modules, the very classes TypeORM's index re-exports (isDatabaseUnavailable's test imports
// them from the index), so that this test does not load all of TypeORM.
import { QueryFailedError } from 'typeorm/error/QueryFailedError';
import { QueryRunnerAlreadyReleasedError } from 'typeorm/error/QueryRunnerAlreadyReleasedError';
import { DomainError } from '../DomainError';
import { ErrorCode } from '../ErrorCode';
import { createErrorFormatter } from '../formatGraphQLError';

const format = createErrorFormatter(pino({ level: 'silent' }));

/** How a resolver's error reaches the formatter: wrapped in a GraphQLError with a path. */
function formatted(original: Error, path: (string | number)[] = ['sichuan', 'instruments']) {
  const wrapped = new GraphQLError(original.message, { path, originalError: original });
  return format({ message: original.message, path, extensions: { code: 'INTERNAL_SERVER_ERROR' } }, wrapped);
}

describe('createErrorFormatter: the database going away', () => {
  it.each([
    ['a refused connection', Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5433'), { code: 'ECONNREFUSED' })],
    ['an administrator shutdown', Object.assign(new Error('terminating connection due to administrator command'), { code: '57P01' })],
    ['a connection dropped mid-query', new Error('Connection terminated unexpectedly')],
    ['a broken pooled client', new Error('Client has encountered a connection error and is not queryable')],
    ['a transaction whose connection was dropped between two statements', new QueryRunnerAlreadyReleasedError()],
    ['a crash of another server process', new QueryFailedError('SELECT 1', [], Object.assign(new Error('terminating connection because of crash of another server process'), { code: '57P02' }))],
    ['a server shutting down', Object.assign(new Error('the database system is shutting down'), { code: '57P03' })],
    ['a connection exception', Object.assign(new Error('protocol violation'), { code: '08P01' })],
    ['a pool with every connection busy', new Error('timeout exceeded when trying to connect')],
  ])('answers %s with SERVICE_UNAVAILABLE and nothing of the cause', (_what, cause) => {
    const answer = formatted(cause);
    expect(answer.extensions).toEqual({ code: 'SERVICE_UNAVAILABLE' });
    expect(answer.message).toBe('The database behind this service is unavailable or busy; retry shortly.');
  });

  it('answers an outage met while resolving the gateway\'s entities the same way, not as a bad representation', () => {
    const answer = formatted(new QueryRunnerAlreadyReleasedError(), ['_entities', 0, 'sichuanBookings']);
    expect(answer).toMatchObject({ message: 'The database behind this service is unavailable or busy; retry shortly.', extensions: { code: 'SERVICE_UNAVAILABLE' } });
  });

  it('still answers an unknown error as an internal one', () => {
    expect(formatted(new Error('something else')).extensions).toEqual({ code: 'INTERNAL_SERVER_ERROR' });
  });
});

describe('createErrorFormatter: codes that reach the client', () => {
  it('gives a domain error its own code, message and details', () => {
    const original = new DomainError(ErrorCode.RATE_LIMITED, 'Too many tries.', { retryAfterSeconds: 30 });
    const answer = format({ message: 'x', extensions: { code: ErrorCode.INTERNAL_SERVER_ERROR } }, new GraphQLError('x', { path: ['login'], originalError: original }));
    expect(answer).toMatchObject({ message: 'Too many tries.', extensions: { code: 'RATE_LIMITED', retryAfterSeconds: 30 } });
  });

  it('keeps a code raised on purpose and drops its stack trace', () => {
    const answer = format({ message: 'Bad query', extensions: { code: ErrorCode.GRAPHQL_VALIDATION_FAILED, stacktrace: ['at x'] } }, new GraphQLError('Bad query'));
    expect(answer.extensions).toEqual({ code: 'GRAPHQL_VALIDATION_FAILED' });
  });

  it('codes an uncoded error Apollo raised about the request as BAD_REQUEST', () => {
    const answer = format({ message: 'provided sha does not match query' }, new GraphQLError('provided sha does not match query'));
    expect(answer.extensions).toEqual({ code: 'BAD_REQUEST' });
  });
});
