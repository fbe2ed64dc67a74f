import { ApolloServer } from '@apollo/server';
import pino from 'pino';
import { badUserInput, notFound } from '../../errors/DomainError';
import { createErrorFormatter } from '../../errors/formatGraphQLError';
import { DateTimeScalar } from '../DateTimeScalar';
import type { RequestIdentity } from '../requestContext';
import { requestLoggingPlugin } from '../requestLoggingPlugin';

const typeDefs = /* GraphQL */ `
  scalar DateTime
  type Query {
    ok: String
    missing: String
    badArgument: String
    databaseDown: String
    crash: String
    at(when: DateTime!): String
    signIn(password: String!): String
  }
`;

const resolvers = {
  DateTime: DateTimeScalar,
  Query: {
    ok: () => 'fine',
    missing: () => { throw notFound('No such instrument.'); },
    badArgument: () => { throw badUserInput('The page size must be positive.'); },
    databaseDown: () => { throw Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' }); },
    crash: () => { throw new Error('a bug'); },
    at: (_: unknown, { when }: { when: Date }) => when.toISOString(),
    signIn: () => 'signed in',
  },
};

/** A real Apollo Server with the project's formatter and the plugin, logging into lines this test reads. */
function serverWithCapturedLog() {
  const lines: Record<string, unknown>[] = [];
  const logger = pino({ level: 'info' }, { write: (line: string) => { lines.push(JSON.parse(line) as Record<string, unknown>); } });
  const server = new ApolloServer<RequestIdentity>({
    typeDefs,
    resolvers,
    formatError: createErrorFormatter(logger),
    plugins: [requestLoggingPlugin<RequestIdentity>(logger)],
    logger,
  });
  const requestLines = () => lines.filter((line) => line['msg'] === 'graphql request');
  return { server, requestLines };
}

async function codesSentAndLogged(query: string, variables?: Record<string, unknown>) {
  const { server, requestLines } = serverWithCapturedLog();
  await server.start();
  try {
    const response = await server.executeOperation({ query, variables }, { contextValue: { requestId: 'request-1', viewer: null } });
    if (response.body.kind !== 'single') throw new Error('expected a single result');
    const sent = (response.body.singleResult.errors ?? []).map((error) => error.extensions?.['code']);
    const [logged, ...more] = requestLines();
    expect(more).toEqual([]);
    return { sent, logged };
  } finally {
    await server.stop();
  }
}

describe('requestLoggingPlugin', () => {
  it.each([
    ['a domain error about the input', '{ badArgument }', undefined, 'BAD_USER_INPUT'],
    ['a domain error about a missing record', '{ missing }', undefined, 'NOT_FOUND'],
    ['a variable that cannot be coerced', 'query At($when: DateTime!) { at(when: $when) }', { when: 'yesterday' }, 'BAD_USER_INPUT'],
    ['a field the schema lacks', '{ nothingHere }', undefined, 'GRAPHQL_VALIDATION_FAILED'],
    ['text that does not parse', '{ ok', undefined, 'GRAPHQL_PARSE_FAILED'],
    ['the database going away', '{ databaseDown }', undefined, 'SERVICE_UNAVAILABLE'],
    ['an unexpected error', '{ crash }', undefined, 'INTERNAL_SERVER_ERROR'],
  ])('logs the code the client received for %s', async (_what, query, variables, code) => {
    const { sent, logged } = await codesSentAndLogged(query, variables);
    expect(sent).toEqual([code]);
    expect(logged).toMatchObject({ requestId: 'request-1', outcome: 'error', errorCodes: [code] });
  });

  it('logs each distinct code once when several fields fail', async () => {
    const { sent, logged } = await codesSentAndLogged('{ a: badArgument b: badArgument missing ok }');
    expect(sent).toHaveLength(3);
    expect(logged?.['errorCodes']).toEqual(['BAD_USER_INPUT', 'NOT_FOUND']);
  });

  it('logs a request without errors as ok, with no codes', async () => {
    const { sent, logged } = await codesSentAndLogged('query Fine { ok }');
    expect(sent).toEqual([]);
    expect(logged).toMatchObject({ operationName: 'Fine', outcome: 'ok', status: 200 });
    expect(logged).not.toHaveProperty('errorCodes');
  });

  it("writes no secret of the request: neither the caller's token nor a password among the variables", async () => {
    const { server, requestLines } = serverWithCapturedLog();
    await server.start();
    try {
      await server.executeOperation(
        { query: 'query SignIn($password: String!) { signIn(password: $password) }', variables: { password: 'hunter2-secret' } },
        { contextValue: { requestId: 'request-2', viewer: { kind: 'user', subject: 'li.wei' } as RequestIdentity['viewer'], authorization: 'Bearer eyJ.secret.token' } as RequestIdentity },
      );
      const [line] = requestLines();
      expect(line).toMatchObject({ requestId: 'request-2', subject: 'li.wei', outcome: 'ok' });
      expect(JSON.stringify(line)).not.toMatch(/hunter2|eyJ|secret/);
    } finally {
      await server.stop();
    }
  });

  it("writes its line at the service logger's level: none below it", async () => {
    const lines: string[] = [];
    const logger = pino({ level: 'warn' }, { write: (line: string) => { lines.push(line); } });
    const server = new ApolloServer<RequestIdentity>({ typeDefs, resolvers, plugins: [requestLoggingPlugin<RequestIdentity>(logger)], logger });
    await server.start();
    try {
      await server.executeOperation({ query: '{ ok }' }, { contextValue: { requestId: 'request-3', viewer: null } });
      expect(lines.filter((line) => line.includes('graphql request'))).toEqual([]);
    } finally {
      await server.stop();
    }
  });
});
