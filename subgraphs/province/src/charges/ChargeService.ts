import { z } from 'zod';
import {
  badUserInput, DAY_MS, decodeOwnGlobalId, encodeGlobalId, forbidden, formatChinaTime, input, isProvinceAdmin, isUuid, notFound, parseInput, spreadsheetCsv,
  type ProvinceDefinition, type Viewer,
} from '../../../../shared/src';
import type { AuditRepository } from '../audit/AuditRepository';
import type { OutboxRepository } from '../events/OutboxRepository';
import type { ProvinceAdmin } from '../domain/provinceAdmin';
import type { UnitOfWork } from '../persistence/UnitOfWork';
import type { ChargeEntity } from './ChargeEntity';
import type { ChargeLineEntity } from './ChargeLineEntity';
import type { ChargeRepository } from './ChargeRepository';
import { chargeOutboxEvent } from './chargeOutboxEvent';
import { chargeTotals, MAX_CREDIT_FEN } from './chargeRules';


export interface ChargeTransaction {
  readonly charges: ChargeRepository;
  readonly events: Pick<OutboxRepository, 'record'>;
  readonly audit: AuditRepository;
}

/** A charge with its lines and what they come to. */
export interface ChargeView extends ChargeEntity {
  readonly lines: readonly ChargeLineEntity[];
  readonly totalFen: number;
  readonly voucherFen: number;
  readonly voucherPaidFen: number;
  readonly amountDueFen: number;
}

/** A payer's charges over a period and their sums, in fen (decimal strings: a period's sum may pass a GraphQL Int). */
export interface Statement {
  readonly payerId: string;
  readonly from: Date;
  readonly to: Date;
  readonly charges: readonly ChargeView[];
  readonly totalFen: string;
  readonly creditedFen: string;
  readonly voucherFen: string;
  readonly amountDueFen: string;
}

const STATEMENT_MAX_DAYS = 366;

const creditSchema = z.object({
  amountFen: input.int(1, MAX_CREDIT_FEN),
  reason: input.text(3, 500),
});

/**
 * Charges of this province: credits and refunds as new lines, statements per payer and period, and the CSV the
 * province's finance system imports. Sums are integers in fen, added as BigInt where a period adds many.
 */
export class ChargeService {
  constructor(
    private readonly province: ProvinceDefinition,
    private readonly charges: ChargeRepository,
    private readonly unitOfWork: UnitOfWork<ChargeTransaction>,
  ) {}

  /** A credit or refund: a negative line added to the charge, at most what the charge still comes to. */
  async credit(admin: ProvinceAdmin, chargeId: string, amountFen: unknown, reason: unknown): Promise<ChargeView> {
    const localId = decodeOwnGlobalId(chargeId, 'charge', this.province).localId;
    const credit = parseInput(creditSchema, { amountFen, reason }, 'credit');
    await this.unitOfWork.run(async (tx) => {
      const charge = await tx.charges.lockForUpdate(localId);
      if (!charge) throw notFound(`No ${this.province.nameEn} charge has the id ${chargeId}.`, { argument: 'chargeId' });
      const lines = await tx.charges.linesOfCharge(localId);
      const { totalFen } = chargeTotals(lines, { voucherPendingFen: 0, voucherCapturedFen: 0 });
      if (credit.amountFen > totalFen) {
        throw badUserInput(`amountFen: the charge comes to ${totalFen} fen after earlier credits; a credit may be at most that.`, { argument: 'amountFen', maxFen: totalFen });
      }
      await tx.charges.addLine(localId, {
        kind: 'CREDIT', description: 'Credit', quantity: '1', unitFen: null, amountFen: -credit.amountFen, reason: credit.reason,
      }, admin.subject);
      await tx.audit.record(admin, {
        action: 'charge.credited', entityType: 'charge', entityId: chargeId, details: { amountFen: credit.amountFen, reason: credit.reason },
      });
      tx.events.record(chargeOutboxEvent(this.province, 'charge.credited', charge));
    });
    return (await this.views(await this.charges.findByIds([localId])))[0]!;
  }

  /** One payer's statement: the payer themselves or this province's admins. */
  async statement(viewer: Viewer, payerId: string | null | undefined, from: Date, to: Date): Promise<Statement> {
    const payer = payerId ?? viewer.subject;
    if (!isUuid(payer)) throw badUserInput('payerId must be the id of a person (a User id).', { argument: 'payerId' });
    if (payer !== viewer.subject && !isProvinceAdmin(viewer, this.province.key)) {
      throw forbidden(`Only the payer or a ${this.province.nameEn} admin may see this statement.`);
    }
    checkPeriod(from, to);
    const charges = await this.views(await this.charges.inPeriod({ from, to, payerId: payer }));
    const sum = (pick: (charge: ChargeView) => number) => charges.reduce((total, charge) => total + BigInt(pick(charge)), 0n).toString();
    return {
      payerId: payer, from, to, charges,
      totalFen: sum((charge) => charge.totalFen),
      creditedFen: sum((charge) => -charge.lines.filter((line) => line.kind === 'CREDIT').reduce((total, line) => total + line.amountFen, 0)),
      voucherFen: sum((charge) => charge.voucherFen),
      amountDueFen: sum((charge) => charge.amountDueFen),
    };
  }

  /** Every charge line written in the period, one CSV row each, for the province's finance system. */
  async csv(from: Date, to: Date): Promise<string> {
    checkPeriod(from, to);
    const charges = await this.views(await this.charges.inPeriod({ from, to }));
    const rows = charges.flatMap((charge) =>
      charge.lines.map((line, index) => [
        encodeGlobalId(this.province, 'charge', charge.id),
        formatChinaTime(charge.createdAt),
        charge.payerId,
        charge.payerName,
        charge.category,
        charge.source,
        charge.bookingId ? encodeGlobalId(this.province, 'booking', charge.bookingId) : encodeGlobalId(this.province, 'servicerequest', charge.serviceRequestId!),
        charge.offeringKind,
        index + 1,
        line.kind,
        line.description,
        line.quantity,
        line.unitFen ?? '',
        line.amountFen,
        line.reason ?? '',
        formatChinaTime(line.at),
        charge.voucherPaidFen,
        charge.voucherPendingFen,
        charge.amountDueFen,
      ]),
    );
    return spreadsheetCsv(rows, { header: true, columns: CSV_COLUMNS, record_delimiter: '\r\n' });
  }

  /** Charges with their lines and totals; one query for all their lines. */
  async views(charges: readonly (ChargeEntity | null)[]): Promise<ChargeView[]> {
    const present = charges.filter((charge): charge is ChargeEntity => charge !== null);
    const lines = present.length ? await this.charges.linesOf(present.map((charge) => charge.id)) : [];
    return present.map((charge, index) => ({
      ...charge,
      lines: lines[index]!,
      ...chargeTotals(lines[index]!, charge),
    }));
  }
}

const CSV_COLUMNS = [
  'charge_id', 'charged_at', 'payer_id', 'payer_name', 'customer_category', 'source', 'source_id', 'offering_kind', 'line_no', 'line_kind',
  'description', 'quantity', 'unit_fen', 'amount_fen', 'reason', 'line_at', 'voucher_paid_fen', 'voucher_pending_fen', 'charge_amount_due_fen',
];

function checkPeriod(from: Date, to: Date): void {
  if (to.getTime() <= from.getTime()) throw badUserInput('to must be after from.', { argument: 'to' });
  if (to.getTime() - from.getTime() > STATEMENT_MAX_DAYS * DAY_MS) {
    throw badUserInput(`Ask for at most ${STATEMENT_MAX_DAYS} days at a time.`, { argument: 'to' });
  }
}
