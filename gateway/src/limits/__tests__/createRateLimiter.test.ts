import { buildSchema, getOperationAST, parse } from 'graphql';
import { analyzeOperation, createOperationLimiter, type OperationBudget, type Viewer } from '../../../../shared/src';
import { createRateLimiter } from '../createRateLimiter';

const schema = buildSchema(`
  type Query { name: String! verifyTalentCard(cardNumber: String!): Boolean! }
  type Mutation { login(username: String!, password: String!): String! bookSichuanInstrument(instrumentId: ID!): ID! }
`);
const operationLimiter = createOperationLimiter({
  limits: { maxDepth: 10, maxAliases: 10, maxRootFields: 10, maxCost: 1_000, maxFirst: 100, maxExpensiveFields: 5 },
  maxTokens: 1_000,
  schema: () => schema,
});
const LOGIN = 'mutation { login(username: "u", password: "p") }';
const BOOK_TWICE = 'mutation { a: bookSichuanInstrument(instrumentId: "1") b: bookSichuanInstrument(instrumentId: "2") }';

/** What the HTTP layer admits for these operations. */
function admitted(...queries: string[]): OperationBudget {
  const admission = operationLimiter.admit(queries.map((query) => ({ query })));
  if (!('budget' in admission)) throw new Error(admission.refusal.message);
  return admission.budget;
}

const clientAddress = '192.0.2.1';
const viewer = (subject: string): Viewer => ({ subject, kind: 'user', province: null, roles: ['researcher'], scopes: [], displayName: null, institution: null, affiliation: null, quota: null, delegation: null });
const expensiveFieldsPerMinute = { signIn: 0, booking: 0, cardCheck: 0 };

/** The refusal a check ends with, or 'admitted'. */
async function outcome(check: Promise<void>): Promise<unknown> {
  try {
    await check;
    return 'admitted';
  } catch (error) {
    const { message, extensions } = error as { message: string; extensions: { code: string } };
    return { code: extensions.code, message };
  }
}

describe('createRateLimiter: every operation of a batch counts', () => {
  const limiter = createRateLimiter({ requestsPerMinute: 5, expensiveFieldsPerMinute });

  it('charges a batch of N operations N points', async () => {
    const caller = viewer('batch-caller');
    expect(await outcome(limiter.check(clientAddress, caller, admitted('{ name }', '{ name }', '{ name }', '{ name }', '{ name }')))).toBe('admitted');
    expect(await outcome(limiter.check(clientAddress, caller, admitted('{ name }')))).toEqual({
      code: 'RATE_LIMITED',
      message: expect.stringMatching(/at most 5 operations a minute, each operation of a batch counting \(RATE_LIMIT_PER_MINUTE\)\. Retry in \d+ s\./),
    });
  });

  it('refuses at once a batch larger than the limit, while single requests pass', async () => {
    const caller = viewer('single-caller');
    expect(await outcome(limiter.check(clientAddress, caller, admitted('{ name }')))).toBe('admitted');
    expect(await outcome(limiter.check(clientAddress, viewer('big-batch'), admitted(...Array.from({ length: 6 }, () => '{ name }'))))).toMatchObject({ code: 'RATE_LIMITED' });
  });

  it('counts one operation when nothing was admitted (in-process calls)', async () => {
    const caller = viewer('in-process');
    for (let i = 0; i < 5; i++) expect(await outcome(limiter.check(clientAddress, caller))).toBe('admitted');
    expect(await outcome(limiter.check(clientAddress, caller))).toMatchObject({ code: 'RATE_LIMITED' });
  });
});

describe('createRateLimiter: each kind of expensive field has its own budget per caller', () => {
  const limiter = createRateLimiter({ requestsPerMinute: 0, expensiveFieldsPerMinute: { signIn: 2, booking: 3, cardCheck: 0 } });

  it('refuses a caller\'s third sign-in of the minute, naming SIGN_INS_PER_MINUTE, and not another caller\'s', async () => {
    expect(await outcome(limiter.check('198.51.100.7', null, admitted(LOGIN, LOGIN)))).toBe('admitted');
    expect(await outcome(limiter.check('198.51.100.7', null, admitted(LOGIN)))).toEqual({
      code: 'RATE_LIMITED',
      message: expect.stringMatching(/Too many sign-ins \(login, issueClientToken\): at most 2 a minute \(SIGN_INS_PER_MINUTE\)/),
    });
    expect(await outcome(limiter.check('198.51.100.8', null, admitted(LOGIN)))).toBe('admitted');
  });

  it('charges each aliased booking, and leaves kinds without a budget alone', async () => {
    const caller = viewer('booker');
    expect(await outcome(limiter.check(clientAddress, caller, admitted(BOOK_TWICE, '{ a: verifyTalentCard(cardNumber: "1") b: verifyTalentCard(cardNumber: "2") }')))).toBe('admitted');
    expect(await outcome(limiter.check(clientAddress, caller, admitted(BOOK_TWICE)))).toMatchObject({ code: 'RATE_LIMITED', message: expect.stringMatching(/BOOKINGS_PER_MINUTE/) });
  });

  it('charges the expensive fields of an operation read only after admission (a persisted-query hash)', async () => {
    const caller = viewer('persisted');
    // The request as the HTTP layer saw it: two operations, neither readable.
    const hashes = operationLimiter.admit([{ extensions: {} }, { extensions: {} }]);
    if (!('budget' in hashes)) throw new Error('refused');
    const { budget } = hashes;
    expect(await outcome(limiter.check(clientAddress, caller, budget))).toBe('admitted');
    // Then each resolved operation, as operationLimitsPlugin charges and reports it.
    const document = parse(BOOK_TWICE);
    const shape = analyzeOperation(document, getOperationAST(document)!, {}, schema);
    const charged = async () => {
      expect(budget.charge(shape)).toBeNull();
      return outcome(budget.reportLate(shape));
    };
    expect(await charged()).toBe('admitted');
    expect(await charged()).toMatchObject({ code: 'RATE_LIMITED', message: expect.stringMatching(/BOOKINGS_PER_MINUTE/) });
  });
});
