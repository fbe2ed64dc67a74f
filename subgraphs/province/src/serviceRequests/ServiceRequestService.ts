import { createHash, randomUUID } from 'node:crypto';
import { z } from 'zod';
import {
  badUserInput, checkPageSize, conflict, customerCategory, instantIdCursor, DAY_MS, decodeOwnGlobalId, encodeGlobalId, forbidden, input,
  isProvinceAdmin, isUuid, notFound, parseInput, toConnection, type Connection, type ProvinceDefinition, type Viewer,
} from '../../../../shared/src';
import type { AuditRepository } from '../audit/AuditRepository';
import { decodeOwnArgument } from '../domain/registryChanges';
import { chargeOutboxEvent } from '../charges/chargeOutboxEvent';
import type { ChargeRepository } from '../charges/ChargeRepository';
import type { OutboxRepository } from '../events/OutboxRepository';
import type { EventType } from '../events/eventTypes';
import { serviceRequestLines } from '../charges/chargeRules';
import type { OfferingEntity } from '../offerings/OfferingEntity';
import type { OfferingRepository } from '../offerings/OfferingRepository';
import { MAX_PRICE_FEN } from '../offerings/offeringInput';
import { priceOfUnits, STANDARD_BAND, UNIT_OF_KIND, type PriceSnapshot } from '../offerings/pricing';
import type { UnitOfWork } from '../persistence/UnitOfWork';
import type { ServiceRequestEntity } from './ServiceRequestEntity';
import type { ServiceRequestRepository } from './ServiceRequestRepository';
import { channelOf } from '../domain/requestChannel';
import {
  checkFormValues, checkReport, checkStep, NEEDED_BY_MAX_DAYS, QUOTE_MAX_VALID_DAYS, type ServiceRequestAction, type ServiceRequestStatus,
} from './serviceRequestRules';

/** The repositories a service request works with, in its transaction. */
export interface ServiceRequestTransaction {
  readonly serviceRequests: ServiceRequestRepository;
  readonly offerings: Pick<OfferingRepository, 'lockForShare' | 'pricesOf' | 'findByIds'>;
  /** The offering's provider, named by the little a request needs: whether it still offers anything. */
  readonly instruments: { lockForShare(id: string): Promise<{ name: string; status: string } | null> };
  readonly labs: { lock(id: string, mode: 'share'): Promise<{ name: string; retiredAt: Date | null } | null> };
  readonly charges: Pick<ChargeRepository, 'insertDraft'>;
  readonly audit: AuditRepository;
  readonly events: Pick<OutboxRepository, 'record'>;
}

const submitSchema = z.object({
  offeringId: z.string(),
  formValues: z.array(z.object({ name: z.string().max(40), value: z.string().max(2000) })).max(30).nullish().transform((values) => values ?? []),
  sampleCount: input.int(1, 1000),
  neededBy: z.date(),
  description: input.text(5, 2000),
  idempotencyKey: input.idempotencyKey(),
});

const quoteSchema = z.object({ amountFen: input.int(1, MAX_PRICE_FEN), validUntil: z.date(), note: input.optionalText(500) });
const reasonSchema = input.text(3, 500);

/** Position in the (created_at, id) order of the staff queue. */
const requestCursor = instantIdCursor('createdAt');

export interface ServiceRequestSubmission {
  offeringId: string;
  formValues?: { name: string; value: string }[] | null;
  sampleCount: number;
  neededBy: Date;
  description: string;
  idempotencyKey: string;
}

/**
 * Service requests, decided by the province that owns the offering: the requester submits, accepts or declines
 * a quote and may cancel before the work starts; every other step is its staff's. A report issued writes the
 * charge in the same transaction.
 */
export class ServiceRequestService {
  constructor(
    private readonly province: ProvinceDefinition,
    private readonly repositories: { readonly serviceRequests: ServiceRequestRepository; readonly offerings: OfferingRepository },
    private readonly unitOfWork: UnitOfWork<ServiceRequestTransaction>,
  ) {}

  async submit(viewer: Viewer, raw: ServiceRequestSubmission, now = new Date()): Promise<ServiceRequestEntity> {
    const { idempotencyKey, ...parsed } = parseInput(submitSchema, raw, 'input');
    const offeringId = this.localId(parsed.offeringId, 'offering', 'input.offeringId');
    const replay = await this.repositories.serviceRequests.findByIdempotencyKey(viewer.subject, idempotencyKey);
    if (replay) return this.sameSubmissionOrConflict(replay, offeringId, parsed);

    if (parsed.neededBy.getTime() <= now.getTime()) throw badUserInput('input.neededBy: must be in the future.', { argument: 'input.neededBy' });
    if (parsed.neededBy.getTime() > now.getTime() + NEEDED_BY_MAX_DAYS * DAY_MS) {
      throw badUserInput(`input.neededBy: must be within ${NEEDED_BY_MAX_DAYS} days.`, { argument: 'input.neededBy' });
    }
    const category = customerCategory(viewer, this.province.key);
    const id = randomUUID();
    const earlier = await this.unitOfWork.run(async (tx) => {
      await tx.serviceRequests.lockSubmission(viewer.subject, idempotencyKey);
      const replayed = await tx.serviceRequests.findByIdempotencyKey(viewer.subject, idempotencyKey);
      if (replayed) return replayed;
      const offering = await this.lockedRequestable(tx, offeringId, parsed.offeringId);
      const formValues = checkFormValues(offering.sampleForm, parsed.formValues);
      const [prices] = await tx.offerings.pricesOf([offeringId]);
      const unit = UNIT_OF_KIND[offering.kind];
      const snapshot = priceOfUnits(prices!, category, unit === 'SAMPLE' ? parsed.sampleCount : 1);
      await tx.serviceRequests.insert({
        id, offeringId, requesterId: viewer.subject, requesterName: viewer.displayName ?? 'Unnamed user', status: 'SUBMITTED', formValues,
        sampleCount: parsed.sampleCount, neededBy: parsed.neededBy, description: parsed.description, idempotencyKey,
        priceCategory: category, priceUnit: unit, priceUnitFen: snapshot?.lines[0]?.unitFen ?? null,
        // An hourly service's hours are known only once quoted: its list price is kept, its estimate is not.
        priceEstimateFen: unit === 'HOUR' ? null : snapshot?.totalFen ?? null,
        quoteAmountFen: null, quoteValidUntil: null, closingReason: null, ...channelOf(viewer),
      });
      await tx.serviceRequests.recordEvent(viewer, { requestId: id, status: 'SUBMITTED', note: null });
      await tx.audit.record(viewer, {
        action: 'servicerequest.submitted', entityType: 'servicerequest', entityId: this.globalId(id),
        details: { offeringId: parsed.offeringId, sampleCount: parsed.sampleCount, category },
      });
      tx.events.record(this.outboxEvent({ id, offeringId, status: 'SUBMITTED' }));
      return null;
    });
    if (earlier) return this.sameSubmissionOrConflict(earlier, offeringId, parsed);
    return (await this.repositories.serviceRequests.findByIds([id]))[0]!;
  }

  /**
   * A repeated key answers the request it made when every field is the same; anything else is CONFLICT naming the
   * fields. Form values are compared as the first request's offering reads them (52.5 and 52.50 are the same value).
   */
  private async sameSubmissionOrConflict(
    existing: ServiceRequestEntity,
    offeringId: string,
    parsed: { sampleCount: number; neededBy: Date; description: string; formValues: { name: string; value: string }[] },
  ): Promise<ServiceRequestEntity> {
    const [offering] = await this.repositories.offerings.findByIds([existing.offeringId]);
    const differing = [
      existing.offeringId !== offeringId && 'offeringId',
      !sameFormValues(existing.formValues, offering?.sampleForm ?? [], parsed.formValues) && 'formValues',
      existing.sampleCount !== parsed.sampleCount && 'sampleCount',
      existing.neededBy.getTime() !== parsed.neededBy.getTime() && 'neededBy',
      existing.description !== parsed.description && 'description',
    ].filter((field): field is string => field !== false);
    if (differing.length > 0) {
      throw conflict(
        `This idempotencyKey was already used for a different service request: ${differing.join(', ')} ${differing.length === 1 ? 'differs' : 'differ'}. ` +
          'Send the first request again unchanged to get it, or use a new key for a new request.',
        { argument: 'input.idempotencyKey', differingFields: differing },
      );
    }
    return existing;
  }

  /**
   * The offering, held against changes until the transaction ends, once it is known to be requestable. Its instrument
   * or lab is locked first, in the order retiring takes them (provider, then its offerings), so a request and a
   * retirement at once wait for each other instead of deadlocking, and a request never lands on a retired provider.
   */
  private async lockedRequestable(tx: ServiceRequestTransaction, offeringId: string, given: string): Promise<OfferingEntity> {
    const missing = () => notFound(`No ${this.province.nameEn} offering has the id ${given}.`, { argument: 'input.offeringId' });
    const [seen] = await tx.offerings.findByIds([offeringId]);
    if (!seen) throw missing();
    if (seen.instrumentId) {
      const instrument = await tx.instruments.lockForShare(seen.instrumentId);
      if (instrument?.status === 'RETIRED') {
        throw conflict(`The instrument ${instrument.name} is retired: "${seen.name}" is no longer offered. Choose another offering.`, {
          reason: 'INSTRUMENT_RETIRED', argument: 'input.offeringId',
        });
      }
    }
    if (seen.labId) {
      const lab = await tx.labs.lock(seen.labId, 'share');
      if (lab?.retiredAt) {
        throw conflict(`The lab ${lab.name} is closed: "${seen.name}" is no longer offered. Choose another offering.`, {
          reason: 'LAB_RETIRED', argument: 'input.offeringId',
        });
      }
    }
    const offering = await tx.offerings.lockForShare(offeringId);
    if (!offering) throw missing();
    checkRequestable(offering);
    return offering;
  }

  quote(admin: Viewer, id: string, raw: { amountFen: number; validUntil: Date; note?: string | null }, now = new Date()) {
    const quote = parseInput(quoteSchema, raw, 'quote');
    if (quote.validUntil.getTime() <= now.getTime()) throw badUserInput('validUntil: must be in the future.', { argument: 'validUntil' });
    if (quote.validUntil.getTime() > now.getTime() + QUOTE_MAX_VALID_DAYS * DAY_MS) {
      throw badUserInput(`validUntil: a quote may be valid for at most ${QUOTE_MAX_VALID_DAYS} days.`, { argument: 'validUntil' });
    }
    return this.move(admin, id, 'quote', quote.note, now, async () => ({ quoteAmountFen: quote.amountFen, quoteValidUntil: quote.validUntil }));
  }

  /** The steps without more than a note: accept, receiveSamples, start, close. */
  step(viewer: Viewer, id: string, action: 'accept' | 'receiveSamples' | 'start' | 'close', note: string | null | undefined, now = new Date()) {
    return this.move(viewer, id, action, parseInput(input.optionalText(500), note, 'note'), now, async () => ({}));
  }

  /** The steps that end a request and say why: decline (requester), cancel (requester or staff), reject (staff). */
  end(viewer: Viewer, id: string, action: 'decline' | 'cancel' | 'reject', reason: unknown, now = new Date()) {
    const why = parseInput(reasonSchema, reason, 'reason');
    return this.move(viewer, id, action, why, now, async () => ({ closingReason: why }));
  }

  /** Stores the report and writes the charge, with the step, in one transaction. */
  issueReport(admin: Viewer, id: string, report: { fileName: string; contentType: string; contentBase64: string }, note: unknown, now = new Date()) {
    const content = checkReport(report);
    const cleanNote = parseInput(input.optionalText(500), note, 'note');
    return this.move(admin, id, 'issueReport', cleanNote, now, async (tx, request) => {
      await tx.serviceRequests.insertReport({
        requestId: request.id, fileName: report.fileName.trim(), contentType: report.contentType, sizeBytes: content.length,
        sha256: createHash('sha256').update(content).digest('hex'), content, uploadedBy: admin.subject, uploadedAt: now,
      });
      const [offering] = await tx.offerings.findByIds([request.offeringId]);
      const chargeId = await tx.charges.insertDraft({
        payerId: request.requesterId, payerName: request.requesterName, category: request.priceCategory, source: 'SERVICE_REQUEST',
        bookingId: null, serviceRequestId: request.id, offeringKind: offering!.kind,
        lines: serviceRequestLines(offering!.name, snapshotOf(request), request.priceUnit, request.quoteAmountFen!),
      }, admin.subject);
      tx.events.record(chargeOutboxEvent(this.province, 'charge.created', { id: chargeId, bookingId: null, serviceRequestId: request.id }));
      return {};
    });
  }

  /** The staff queue, oldest first. */
  async list(args: { status?: ServiceRequestStatus | null; first: number; after?: string | null }): Promise<Connection<ServiceRequestEntity> & { totalCount: () => Promise<number> }> {
    const first = checkPageSize(args.first);
    const page = await this.repositories.serviceRequests.findPage(args.status ?? undefined, first, requestCursor.decode(args.after));
    return { totalCount: page.totalCount, ...toConnection(page.rows, page.hasNextPage, requestCursor.encode) };
  }

  private move(
    viewer: Viewer,
    id: string,
    action: ServiceRequestAction,
    note: string | null,
    now: Date,
    write: (tx: ServiceRequestTransaction, request: ServiceRequestEntity) => Promise<Partial<ServiceRequestEntity>>,
  ): Promise<ServiceRequestEntity> {
    const localId = this.localId(id, 'servicerequest', 'id');
    return this.unitOfWork.run(async (tx) => {
      const request = await tx.serviceRequests.lockForUpdate(localId);
      if (!request) throw notFound(`No ${this.province.nameEn} service request has the id ${id}.`, { argument: 'id' });
      const step = checkStep(action, request, now);
      this.checkActor(viewer, request, step.by, action);
      const changes = { ...(await write(tx, request)), status: step.to };
      await tx.serviceRequests.update(localId, changes);
      await tx.serviceRequests.recordEvent(viewer, { requestId: localId, status: step.to, note });
      await tx.audit.record(viewer, {
        action: `servicerequest.${step.to.toLowerCase()}`, entityType: 'servicerequest', entityId: this.globalId(localId),
        details: { from: request.status, to: step.to, ...(note ? { note } : {}), ...(changes.quoteAmountFen ? { amountFen: changes.quoteAmountFen } : {}) },
      });
      tx.events.record(this.outboxEvent({ id: localId, offeringId: request.offeringId, status: step.to }));
      return Object.assign(request, changes, { updatedAt: now });
    });
  }

  private checkActor(viewer: Viewer, request: ServiceRequestEntity, by: 'staff' | 'requester' | 'either', action: ServiceRequestAction): void {
    const staff = isProvinceAdmin(viewer, this.province.key);
    const requester = viewer.subject === request.requesterId;
    if (by === 'staff' && !staff) throw forbidden(`Only ${this.province.nameEn} staff may take this step (${action}) of a service request.`);
    if (by === 'requester' && !requester) throw forbidden(`Only the person who made this service request may ${action} its quote.`);
    if (by === 'either' && !staff && !requester) throw forbidden(`Only the person who made this service request or ${this.province.nameEn} staff may ${action} it.`);
  }

  private localId(id: string, kind: 'offering' | 'servicerequest', argument: string): string {
    return decodeOwnArgument(id, kind, this.province, argument);
  }

  /** The outbox event of a request's new status: its id, its (public) offering and the status, nothing of the requester. */
  private outboxEvent(request: { id: string; offeringId: string; status: ServiceRequestStatus }) {
    return {
      type: `serviceRequest.${request.status.toLowerCase()}` as EventType,
      entityId: this.globalId(request.id),
      state: { status: request.status, offeringId: encodeGlobalId(this.province, 'offering', request.offeringId) },
    };
  }

  private globalId(localId: string): string {
    return encodeGlobalId(this.province, 'servicerequest', localId);
  }
}

/** Self-operated use is booked, not requested; an inactive offering takes no new requests. */
function checkRequestable(offering: OfferingEntity): void {
  if (!offering.active) throw conflict(`The offering "${offering.name}" is no longer offered.`, { reason: 'OFFERING_INACTIVE' });
  if (offering.kind === 'SELF_OPERATED') {
    throw conflict('Self-operated use is booked, not requested: book the instrument instead.', { reason: 'BOOK_INSTEAD' });
  }
}

/** The list price a request recorded, as a snapshot for its charge. */
function snapshotOf(request: ServiceRequestEntity): PriceSnapshot | null {
  if (request.priceUnitFen === null || request.priceEstimateFen === null) return null;
  const quantity = request.priceUnit === 'SAMPLE' ? String(request.sampleCount) : '1';
  return {
    category: request.priceCategory,
    lines: [{ band: STANDARD_BAND, quantity, unitFen: request.priceUnitFen, amountFen: request.priceEstimateFen }],
    totalFen: request.priceEstimateFen,
  };
}

/** Whether `given` are the values a request stored, read through its offering's form; values the form refuses are not. */
function sameFormValues(stored: Record<string, unknown>, form: OfferingEntity['sampleForm'], given: readonly { name: string; value: string }[]): boolean {
  let checked: Record<string, unknown>;
  try {
    checked = checkFormValues(form, given);
  } catch {
    return false;
  }
  const names = new Set([...Object.keys(stored), ...Object.keys(checked)]);
  return [...names].every((name) => stored[name] === checked[name]);
}
