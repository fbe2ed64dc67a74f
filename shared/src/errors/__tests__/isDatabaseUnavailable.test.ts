import { CannotExecuteNotConnectedError } from 'typeorm/error/CannotExecuteNotConnectedError';
import { QueryFailedError } from 'typeorm/error/QueryFailedError';
import { QueryRunnerAlreadyReleasedError } from 'typeorm/error/QueryRunnerAlreadyReleasedError';
import { QueryRunnerProviderAlreadyReleasedError } from 'typeorm/error/QueryRunnerProviderAlreadyReleasedError';
import { isDatabaseUnavailable } from '../isDatabaseUnavailable';

/** An error as pg raises it: a message and, from the server or the socket, a code. */
const pgError = (message: string, code?: string) => Object.assign(new Error(message), code === undefined ? {} : { code });
/** The same error as TypeORM passes it on from a repository. */
const viaTypeorm = (driverError: Error) => new QueryFailedError('SELECT 1', [], driverError);

describe('isDatabaseUnavailable', () => {
  it.each([
    ['a refused connection', pgError('connect ECONNREFUSED 127.0.0.1:5433', 'ECONNREFUSED')],
    ['a reset connection', pgError('read ECONNRESET', 'ECONNRESET')],
    ['a broken pipe', pgError('write EPIPE', 'EPIPE')],
    ['an unknown database host', pgError('getaddrinfo ENOTFOUND sichuan-db', 'ENOTFOUND')],
    ['an unreachable host', pgError('connect EHOSTUNREACH 10.0.0.7:5432', 'EHOSTUNREACH')],
    ['a connect timeout', pgError('connect ETIMEDOUT 10.0.0.7:5432', 'ETIMEDOUT')],
    ['an administrator shutdown (57P01)', pgError('terminating connection due to administrator command', '57P01')],
    ['a crash shutdown (57P02)', pgError('terminating connection because of crash of another server process', '57P02')],
    ['a server starting or stopping (57P03)', pgError('the database system is starting up', '57P03')],
    ['a dropped database (57P04)', pgError('terminating connection because the database was dropped', '57P04')],
    ['an idle session timeout (57P05)', pgError('terminating connection due to idle-session timeout', '57P05')],
    ['a connection exception (08000)', pgError('connection exception', '08000')],
    ['a connection that does not exist (08003)', pgError('connection does not exist', '08003')],
    ['a connection failure (08006)', pgError('connection failure', '08006')],
    ['a protocol violation (08P01)', pgError('protocol violation', '08P01')],
    ['too many connections (53300)', pgError('sorry, too many clients already', '53300')],
    ['a transaction closed for idling (25P03)', pgError('terminating connection due to idle-in-transaction timeout', '25P03')],
    ['a connection dropped mid-query', pgError('Connection terminated unexpectedly')],
    ['a connect timeout of the driver', pgError('Connection terminated due to connection timeout')],
    ['a broken pooled client', pgError('Client has encountered a connection error and is not queryable')],
    ['a closed client', pgError('Client was closed and is not queryable')],
    ['a pool with every connection busy', pgError('timeout exceeded when trying to connect')],
    ['a pool closed while the service stops', pgError('Cannot use a pool after calling end on the pool')],
    ['a transaction whose connection was dropped between statements', new QueryRunnerAlreadyReleasedError()],
    ['an entity manager whose connection was released', new QueryRunnerProviderAlreadyReleasedError()],
    ['a data source closed while the service stops', new CannotExecuteNotConnectedError()],
    ['an administrator shutdown, through TypeORM', viaTypeorm(pgError('terminating connection due to administrator command', '57P01'))],
    ['a dropped connection, through TypeORM', viaTypeorm(pgError('Connection terminated unexpectedly'))],
    ['a refusal wrapped as a cause', new Error('could not open the transaction', { cause: pgError('connect ECONNREFUSED ::1:5432', 'ECONNREFUSED') })],
    ['a refusal on every address (AggregateError)', new AggregateError([pgError('connect ECONNREFUSED ::1:5432', 'ECONNREFUSED'), pgError('connect ECONNREFUSED 127.0.0.1:5432', 'ECONNREFUSED')])],
  ])('recognises %s', (_what, error) => {
    expect(isDatabaseUnavailable(error)).toBe(true);
  });

  it.each([
    ['a bug', new TypeError("Cannot read properties of undefined (reading 'id')")],
    ['a unique violation', viaTypeorm(pgError('duplicate key value violates unique constraint', '23505'))],
    ['an exclusion violation', viaTypeorm(pgError('conflicting key value violates exclusion constraint', '23P01'))],
    ['a deadlock', viaTypeorm(pgError('deadlock detected', '40P01'))],
    ['bad data', viaTypeorm(pgError('invalid input syntax for type uuid', '22P02'))],
    ['a syntax error', viaTypeorm(pgError('syntax error at or near "SELEC"', '42601'))],
    ['nothing at all', undefined],
    ['a string', 'Connection terminated unexpectedly'],
  ])('leaves %s alone', (_what, error) => {
    expect(isDatabaseUnavailable(error)).toBe(false);
  });

  it('stops following causes that point back at themselves', () => {
    const looping = new Error('looping') as Error & { cause?: unknown };
    looping.cause = looping;
    expect(isDatabaseUnavailable(looping)).toBe(false);
  });
});
