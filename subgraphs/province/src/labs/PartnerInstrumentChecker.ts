import { DomainError, type JsonPost, type ProvinceDefinition } from '../../../../shared/src';
import { askGateway, type CallerHeaders } from '../domain/askGateway';

export type { CallerHeaders };

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
    private readonly fetchGateway: JsonPost = fetch,
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
    const access = { url: this.gatewayUrl, fetch: this.fetchGateway, timeoutMs: this.timeoutMs };
    const body = await askGateway(access, { query, variables, caller, what: 'the partner instruments' }, () => this.unavailable());
    // Answering with other errors: a null beside any error but NOT_FOUND is no proof that an instrument is unknown.
    const errors = body.errors ?? [];
    if (!body.data || errors.some((error) => error.extensions?.code !== 'NOT_FOUND')) throw this.unavailable();
    const notFound = new Set(errors.map((error) => String(error.path?.[0])));
    return { data: body.data as Record<string, { __typename?: string } | null>, notFound };
  }

  private unavailable() {
    return new DomainError(
      'SERVICE_UNAVAILABLE',
      `${this.partner.nameEn}'s instruments could not be checked right now (the gateway or ${this.partner.nameEn} did not answer); nothing was saved. Retry later.`,
    );
  }
}
