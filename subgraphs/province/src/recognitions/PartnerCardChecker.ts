import { DomainError, ErrorCode, type DomainErrorCode, type JsonPost, type ProvinceDefinition } from '../../../../shared/src';
import { askGateway, type CallerHeaders, type GatewayAccess } from '../domain/askGateway';
import type { TalentTier } from '../domain/registryTypes';

/** What the issuer answered about its card, checked with the holder's code. */
export interface CheckedPartnerCard {
  readonly cardNumber: string;
  readonly status: string;
  readonly tier: TalentTier | null;
}

/**
 * Checks a partner-issued card with its holder's code, at the issuer, through the gateway with the provider's own
 * token: the issuer decides whether the provider may check its cards, uses the code up and logs the check.
 */
export interface PartnerCardChecker {
  check(code: string, cardNumber: string | null, caller: CallerHeaders): Promise<CheckedPartnerCard>;
}

const DOMAIN_CODES: readonly string[] = [
  ErrorCode.BAD_USER_INPUT, ErrorCode.UNAUTHENTICATED, ErrorCode.FORBIDDEN, ErrorCode.NOT_FOUND, ErrorCode.CONFLICT, ErrorCode.RATE_LIMITED,
];

export class GatewayPartnerCardChecker implements PartnerCardChecker {
  constructor(
    private readonly gatewayUrl: string,
    private readonly partner: ProvinceDefinition,
    private readonly fetchGateway: JsonPost = fetch,
    private readonly timeoutMs = 3_000,
  ) {}

  async check(code: string, cardNumber: string | null, caller: CallerHeaders): Promise<CheckedPartnerCard> {
    const query = 'query PartnerCardCheck($code: String!, $cardNumber: String) { check: verifyTalentCard(code: $code, cardNumber: $cardNumber) { cardNumber status tier } }';
    const access: GatewayAccess = { url: this.gatewayUrl, fetch: this.fetchGateway, timeoutMs: this.timeoutMs };
    const what = `the ${this.partner.cardName}`;
    const body = await askGateway(access, { query, variables: { code, cardNumber }, caller, what }, () => this.unavailable());
    const refusal = body.errors?.[0];
    if (refusal) {
      // The issuer's own answer (a used or expired code, a provider it does not admit) is the redemption's answer.
      const extensions = (refusal.extensions ?? {}) as { code?: string; reason?: string };
      if (extensions.code && DOMAIN_CODES.includes(extensions.code)) {
        throw new DomainError(extensions.code as DomainErrorCode, `${this.partner.nameEn} refused the card check: ${refusal.message ?? 'no reason given'}`, {
          ...(extensions.reason ? { reason: extensions.reason } : {}), argument: 'code',
        });
      }
      throw this.unavailable();
    }
    const answer = body.data?.['check'] as CheckedPartnerCard | null | undefined;
    if (!answer) throw this.unavailable();
    return answer;
  }

  private unavailable() {
    return new DomainError(
      'SERVICE_UNAVAILABLE',
      `${this.partner.nameEn} could not be asked about the ${this.partner.cardName} (the gateway or ${this.partner.nameEn} did not answer); nothing was recorded. Retry later with the same idempotencyKey.`,
      { reason: 'PARTNER_UNAVAILABLE' },
    );
  }
}
