import { DomainError, type JsonPost, type ProvinceDefinition } from '../../../../shared/src';
import { askGateway, type CallerHeaders, type GatewayAccess } from '../domain/askGateway';

/**
 * Whether the caller holds a valid qualification on a model, issued by the partner province. Asked through the
 * gateway with the caller's own token (the partner's `myQualifications`), never copied: the partner issues, expires
 * and revokes its qualifications, and only its answer now says whether one holds.
 */
export interface PartnerQualificationChecker {
  /** Throws SERVICE_UNAVAILABLE when the partner cannot be asked right now. */
  holdsValid(model: string, caller: CallerHeaders): Promise<boolean>;
}

export class GatewayPartnerQualificationChecker implements PartnerQualificationChecker {
  constructor(
    private readonly gatewayUrl: string,
    private readonly partner: ProvinceDefinition,
    private readonly fetchGateway: JsonPost = fetch,
    /** A person is waiting on the booking: better a clear "retry later" than a hang. */
    private readonly timeoutMs = 3_000,
  ) {}

  async holdsValid(model: string, caller: CallerHeaders): Promise<boolean> {
    const query = `query PartnerQualifications($model: String!) { partner: ${this.partner.key} { myQualifications(model: $model) { id } } }`;
    const access: GatewayAccess = { url: this.gatewayUrl, fetch: this.fetchGateway, timeoutMs: this.timeoutMs };
    const body = await askGateway(access, { query, variables: { model }, caller, what: `your ${this.partner.nameEn} qualifications` }, () => this.unavailable());
    const answer = body.data?.['partner'] as { myQualifications?: unknown[] } | null | undefined;
    // The partner's registry null (down behind the gateway) or any error: no proof either way.
    if ((body.errors ?? []).length > 0 || !answer || !Array.isArray(answer.myQualifications)) throw this.unavailable();
    return answer.myQualifications.length > 0;
  }

  private unavailable() {
    return new DomainError(
      'SERVICE_UNAVAILABLE',
      `${this.partner.nameEn} could not be asked whether you hold its qualification on this instrument's model (the gateway or ${this.partner.nameEn} did not answer); nothing was booked. Retry later.`,
      { reason: 'PARTNER_UNAVAILABLE' },
    );
  }
}
