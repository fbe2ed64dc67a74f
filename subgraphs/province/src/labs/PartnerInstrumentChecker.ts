import { DomainError, unauthenticated, type ProvinceDefinition } from '../../../../shared/src';

/** What this province passes on when it asks the gateway on a caller's behalf. */
export interface CallerHeaders {
  /** The caller's `Authorization` header, as received. */
  readonly authorization?: string;
  readonly requestId: string;
}

/**
 * Whether the partner province has instruments with given global ids.
 *
 * Why ask at write time, through the gateway: the partner owns its
 * instruments, and this province may neither read the partner's database nor
 * keep a copy that drifts; the gateway's public `instrument(id:)` is the
 * partner's published answer, reached with the caller's own rights. Checking
 * when a joint lab is written catches a mistyped or unknown id while the
 * admin who typed it can still fix it, instead of a lab that lists nothing
 * for months. (An instrument the partner later retires stays readable, so a
 * checked link keeps resolving.)
 */
export interface PartnerInstrumentChecker {
  /**
   * The ids, among `ids` (the partner's instrument global ids), for which the
   * partner answers no instrument, in the given order. Throws
   * SERVICE_UNAVAILABLE when the partner cannot be asked right now.
   */
  findUnknown(ids: readonly string[], caller: CallerHeaders): Promise<string[]>;
}

interface GraphQLAnswer {
  data?: Record<string, { __typename?: string } | null> | null;
  errors?: { message?: string; path?: (string | number)[]; extensions?: { code?: string } }[];
}

/**
 * Ids asked per request. The gateway refuses operations with more root fields
 * than its MAX_ROOT_FIELDS (default 10) as too large; each id is one aliased
 * `instrument(id:)` root field, so longer lists go in several requests at once.
 */
const IDS_PER_REQUEST = 10;

/** Asks the partner through the gateway: one request (per ten ids), one alias per id. */
export class GatewayPartnerInstrumentChecker implements PartnerInstrumentChecker {
  constructor(
    private readonly gatewayUrl: string,
    private readonly partner: ProvinceDefinition,
    private readonly fetchGateway: typeof fetch = fetch,
    /** A person is waiting on the mutation: better a clear "retry later" than a hang. */
    private readonly timeoutMs = 3_000,
  ) {}

  async findUnknown(ids: readonly string[], caller: CallerHeaders): Promise<string[]> {
    const chunks: string[][] = [];
    for (let start = 0; start < ids.length; start += IDS_PER_REQUEST) chunks.push(ids.slice(start, start + IDS_PER_REQUEST));
    return (await Promise.all(chunks.map((chunk) => this.findUnknownAmong(chunk, caller)))).flat();
  }

  private async findUnknownAmong(ids: readonly string[], caller: CallerHeaders): Promise<string[]> {
    const aliases = ids.map((_, index) => `i${index}`);
    // Even `id` is answered by the partner, which says NOT_FOUND for an id that names nothing.
    const query = `query PartnerInstruments(${aliases.map((alias) => `$${alias}: ID!`).join(', ')}) {
      ${aliases.map((alias) => `${alias}: instrument(id: $${alias}) { __typename id }`).join('\n      ')}
    }`;
    const { data, notFound } = await this.ask(query, Object.fromEntries(aliases.map((alias, index) => [alias, ids[index]])), caller);
    const expectedType = `${this.partner.typePrefix}Instrument`;
    return ids.filter((_, index) => notFound.has(aliases[index]!) || data[aliases[index]!]?.__typename !== expectedType);
  }

  private async ask(query: string, variables: Record<string, unknown>, caller: CallerHeaders) {
    let status: number;
    let body: GraphQLAnswer;
    try {
      const response = await this.fetchGateway(this.gatewayUrl, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'x-request-id': caller.requestId,
          ...(caller.authorization ? { authorization: caller.authorization } : {}),
        },
        body: JSON.stringify({ query, variables }),
        signal: AbortSignal.timeout(this.timeoutMs),
      });
      status = response.status;
      body = (await response.json()) as GraphQLAnswer;
    } catch {
      // Refused connection, timeout or a body that is not JSON: the partner could not be asked.
      throw this.unavailable();
    }
    if (status === 401) throw unauthenticated('Your token was refused while checking the partner instruments; sign in again and retry.');
    if (status >= 400 && status < 500 && status !== 429) {
      // The gateway refused the request itself (a limit, a schema change): retrying will not help, so it is reported as a fault.
      throw new Error(`the gateway refused the partner instrument check with HTTP ${status}: ${body.errors?.[0]?.message ?? 'no message'}`);
    }
    // Busy, down, or answering with other errors: a null beside any error but NOT_FOUND is no proof that an instrument is unknown.
    const errors = body.errors ?? [];
    if (status !== 200 || !body.data || errors.some((error) => error.extensions?.code !== 'NOT_FOUND')) throw this.unavailable();
    const notFound = new Set(errors.map((error) => String(error.path?.[0])));
    return { data: body.data, notFound };
  }

  private unavailable() {
    return new DomainError(
      'SERVICE_UNAVAILABLE',
      `${this.partner.nameEn}'s instruments could not be checked right now (the gateway or ${this.partner.nameEn} did not answer); nothing was saved. Retry later.`,
    );
  }
}
