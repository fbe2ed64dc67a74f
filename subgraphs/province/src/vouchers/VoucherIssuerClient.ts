import { randomUUID } from 'node:crypto';
import { DomainError, type DomainErrorCode, type JsonPost, type ProvinceDefinition } from '../../../../shared/src';
import type { VoucherHoldStatus } from './VoucherHoldEntity';

/** The issuer's answer about a hold. */
export interface IssuerHold {
  readonly id: string;
  readonly status: VoucherHoldStatus;
  /** When the issuer captured it (its clock): both settlement reports date the payment by it. */
  readonly capturedAt: string | null;
  readonly releaseReason: string | null;
}

/** What names a hold on the issuer. */
export interface IssuerHoldRef {
  readonly voucherId: string;
  readonly holdKey: string;
  /** The serving province's code (`SICHUAN`…). */
  readonly servingProvince: string;
}

export interface IssuerReservation extends IssuerHoldRef {
  readonly amountFen: number;
  readonly chargeAmountFen: number;
  readonly chargeRef: string;
  readonly expiresInSeconds: number;
}

/** The issuer said no for certain (bad input, no such voucher, not its holder, balance or share rule): nothing is held. */
export class IssuerRefusal extends DomainError {}

/** The issuer's answer did not arrive (the gateway or the issuer down, a timeout): what happened there is unknown. */
export class IssuerUnreachable extends Error {
  override readonly name = 'IssuerUnreachable';
}

/**
 * The issuer's voucher API as the serving province calls it: through the
 * gateway, the public authorised API every partner uses. A reservation carries
 * the holder's own token (it is their consent); capture and release are named by
 * the hold key, which only the serving side and the issuer know, so a restarted
 * process can finish them without anyone's token.
 */
export interface VoucherIssuer {
  reserve(issuer: ProvinceDefinition, reservation: IssuerReservation, authorization: string | undefined): Promise<IssuerHold>;
  capture(issuer: ProvinceDefinition, ref: IssuerHoldRef): Promise<IssuerHold>;
  release(issuer: ProvinceDefinition, ref: IssuerHoldRef): Promise<IssuerHold>;
}

/** How long one call to the issuer may take before its outcome counts as unknown. */
export const ISSUER_TIMEOUT_MS = 5_000;

const HOLD_FIELDS = 'id status capturedAt releaseReason';
/** Codes that are the issuer's definite answer; anything else leaves the outcome unknown. */
const REFUSALS: readonly DomainErrorCode[] = ['BAD_USER_INPUT', 'NOT_FOUND', 'FORBIDDEN', 'CONFLICT', 'UNAUTHENTICATED'];

interface Answer {
  data?: { hold?: IssuerHold | null } | null;
  errors?: { message?: string; extensions?: { code?: string } & Record<string, unknown> }[];
}

export class GatewayVoucherIssuer implements VoucherIssuer {
  constructor(
    private readonly gatewayUrl: string,
    private readonly fetchGateway: JsonPost = fetch,
    /** A person may be waiting: an unknown outcome is better reported (and resumed later) than waited on. */
    private readonly timeoutMs = ISSUER_TIMEOUT_MS,
  ) {}

  reserve(issuer: ProvinceDefinition, reservation: IssuerReservation, authorization: string | undefined): Promise<IssuerHold> {
    return this.ask(
      `mutation ReserveVoucher($voucherId: ID!, $amountFen: Int!, $chargeAmountFen: Int!, $servingProvince: Province!, $chargeRef: String!, $holdKey: ID!, $expiresInSeconds: Int) {
        hold: reserve${issuer.typePrefix}Voucher(voucherId: $voucherId, amountFen: $amountFen, chargeAmountFen: $chargeAmountFen, servingProvince: $servingProvince,
          chargeRef: $chargeRef, holdKey: $holdKey, expiresInSeconds: $expiresInSeconds) { ${HOLD_FIELDS} }
      }`,
      { ...reservation },
      authorization,
    );
  }

  capture(issuer: ProvinceDefinition, ref: IssuerHoldRef): Promise<IssuerHold> {
    return this.step('capture', issuer, ref);
  }

  release(issuer: ProvinceDefinition, ref: IssuerHoldRef): Promise<IssuerHold> {
    return this.step('release', issuer, ref);
  }

  private step(step: 'capture' | 'release', issuer: ProvinceDefinition, ref: IssuerHoldRef): Promise<IssuerHold> {
    return this.ask(
      `mutation SettleVoucherHold($voucherId: ID!, $holdKey: ID!, $servingProvince: Province!) {
        hold: ${step}${issuer.typePrefix}VoucherHold(voucherId: $voucherId, holdKey: $holdKey, servingProvince: $servingProvince) { ${HOLD_FIELDS} }
      }`,
      { ...ref },
      undefined,
    );
  }

  private async ask(query: string, variables: Record<string, unknown>, authorization: string | undefined): Promise<IssuerHold> {
    let body: Answer;
    try {
      const response = await this.fetchGateway(this.gatewayUrl, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'x-request-id': randomUUID(),
          ...(authorization ? { authorization } : {}),
        },
        body: JSON.stringify({ query, variables }),
        signal: AbortSignal.timeout(this.timeoutMs),
      });
      body = (await response.json()) as Answer;
      if (response.status === 401) throw new IssuerRefusal('UNAUTHENTICATED', 'Your token was refused by the voucher issuer; sign in again and retry.');
    } catch (error) {
      if (error instanceof IssuerRefusal) throw error;
      throw new IssuerUnreachable(`the gateway did not answer: ${String(error)}`);
    }
    const error = body.errors?.[0];
    const code = error?.extensions?.code as DomainErrorCode | undefined;
    if (error && code && REFUSALS.includes(code)) {
      // The gateway's serviceName names the issuer's subgraph: the serving province answers for itself.
      const { code: _code, serviceName: _service, ...details } = error.extensions ?? {};
      throw new IssuerRefusal(code, error.message ?? 'The issuer refused the voucher payment.', details);
    }
    if (!body.data?.hold) throw new IssuerUnreachable(`the issuer answered no hold: ${error?.message ?? 'no data'}`);
    return body.data.hold;
  }
}
