/** The public GraphQL endpoint, on the same origin as the page. */
export const GRAPHQL_URL = '/graphql';

export interface GraphQLError {
  readonly message: string;
  readonly path?: readonly (string | number)[];
  readonly extensions?: { readonly code?: string; readonly retryAfterSeconds?: number };
}

export interface GraphQLResult<T> {
  readonly data: T | null;
  readonly errors: readonly GraphQLError[];
}

/** The token is missing, expired or refused: the person has to sign in again. */
export class SessionExpiredError extends Error {}

/** No usable answer at all (network down, gateway down, not JSON). */
export class ApiUnavailableError extends Error {}

/** The API refused a sign-in; the page words it from the code (the API's own message is English only). */
export class SignInRefusedError extends Error {
  constructor(
    message: string,
    readonly code: string | undefined,
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
  }
}

/**
 * POSTs one operation. Partial answers (data plus errors) are returned as
 * they are, because a dashboard shows what it has; only a refused token and
 * an unusable answer throw.
 */
export async function postGraphQL<T>(query: string, variables: Record<string, unknown>, token?: string): Promise<GraphQLResult<T>> {
  let response: Response;
  try {
    response = await fetch(GRAPHQL_URL, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: JSON.stringify({ query, variables }),
    });
  } catch {
    throw new ApiUnavailableError('The platform API cannot be reached. 无法连接平台接口。');
  }
  let body: { data?: T | null; errors?: GraphQLError[] };
  try {
    body = (await response.json()) as typeof body;
  } catch {
    throw new ApiUnavailableError(`The platform API answered HTTP ${response.status} without GraphQL. 平台接口暂时不可用。`);
  }
  const errors = body.errors ?? [];
  if (response.status === 401 || (body.data == null && errors.some((error) => error.extensions?.code === 'UNAUTHENTICATED'))) {
    throw new SessionExpiredError(errors[0]?.message ?? 'Your sign-in has expired.');
  }
  if (body.data == null && errors.length === 0) {
    throw new ApiUnavailableError(`The platform API answered HTTP ${response.status} with no data. 平台接口暂时不可用。`);
  }
  return { data: body.data ?? null, errors };
}

/** A signed-in person's tokens: a short-lived access token, and the single-use refresh token that renews it. */
export interface Session {
  readonly token: string;
  readonly refreshToken: string;
}

const SESSION_FIELDS = '{ token refreshToken }';

/** Runs a sign-in mutation; a refusal is a refused sign-in, not an expired session. */
async function obtainSession(query: string, variables: Record<string, unknown>, field: 'login' | 'refreshSession'): Promise<Session> {
  const result = await postGraphQL<Record<string, Session | null>>(query, variables).catch((error: unknown) => {
    if (error instanceof SessionExpiredError) throw new SignInRefusedError(error.message, 'UNAUTHENTICATED');
    throw error;
  });
  const session = result.data?.[field];
  if (!session) {
    const refusal = result.errors[0];
    throw new SignInRefusedError(refusal?.message ?? 'Sign-in failed.', refusal?.extensions?.code, refusal?.extensions?.retryAfterSeconds);
  }
  return session;
}

/** One-key login: a username and password become one session valid in both provinces. */
export function login(username: string, password: string): Promise<Session> {
  return obtainSession(
    `mutation Login($username: String!, $password: String!) { login(username: $username, password: $password) ${SESSION_FIELDS} }`,
    { username, password },
    'login',
  );
}

/** The next access token for a wall screen that stays signed in; the refresh token is used up and replaced. */
export function refreshSession(refreshToken: string): Promise<Session> {
  return obtainSession(
    `mutation Refresh($refreshToken: String!) { refreshSession(refreshToken: $refreshToken) ${SESSION_FIELDS} }`,
    { refreshToken },
    'refreshSession',
  );
}

/** Ends the session on the server too (its refresh token stops working); failures do not matter to a screen signing out. */
export async function logout(refreshToken: string): Promise<void> {
  await postGraphQL('mutation Logout($refreshToken: String!) { logout(refreshToken: $refreshToken) }', { refreshToken }).catch(() => undefined);
}
