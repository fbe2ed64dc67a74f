import { randomUUID } from 'node:crypto';
import { encodeGlobalId, PROVINCES, seededUserId, type ProvinceKey } from '../../shared/src';

/** A SQL runner on one owner's database: the shared system's or a private one's. */
export type Sql = (owner: ProvinceKey, text: string, params?: unknown[]) => Promise<Record<string, any>[]>;

/**
 * A charge of `province` for `payer` of `amountFen`, as a service request's report writes it: the request (on one of
 * the province's seeded offerings, REPORT_ISSUED at its quote) and its charge with one item line, written straight
 * into the province's database so a test can have as many charges as it pays. Answers the charge's global id, the
 * `chargeRef` a voucher payment names.
 */
export async function chargeFor(sql: Sql, province: ProvinceKey, amountFen: number, payer = 'chen.jing'): Promise<string> {
  const requestId = randomUUID();
  const chargeId = randomUUID();
  const payerId = seededUserId(payer);
  await sql(province, `
    WITH offering AS (SELECT id, kind FROM offerings WHERE kind <> 'SELF_OPERATED' ORDER BY id LIMIT 1),
    request AS (
      INSERT INTO service_requests (id, offering_id, requester_id, requester_name, status, form_values, sample_count, needed_by, description,
        idempotency_key, price_category, price_unit, quote_amount_fen, quote_valid_until)
      SELECT $1, offering.id, $3, $4, 'REPORT_ISSUED', '{}', 1, now() + interval '30 days', 'A test request charged at its quote',
        $6, 'ENTERPRISE', 'PROJECT', $5, now() + interval '30 days' FROM offering
      RETURNING id),
    charge AS (
      INSERT INTO charges (id, payer_id, payer_name, customer_category, source, service_request_id, offering_kind)
      SELECT $2, $3, $4, 'ENTERPRISE', 'SERVICE_REQUEST', request.id, offering.kind FROM request, offering
      RETURNING id)
    INSERT INTO charge_lines (charge_id, kind, description, quantity, unit_fen, amount_fen, actor_id)
    SELECT charge.id, 'ITEM', 'As quoted', 1, $5, $5, 'test' FROM charge`, [requestId, chargeId, payerId, `${payer} (test enterprise)`, amountFen, `test-${requestId}`]);
  return encodeGlobalId(PROVINCES[province], 'charge', chargeId);
}
