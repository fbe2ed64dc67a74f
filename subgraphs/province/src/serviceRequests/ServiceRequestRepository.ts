import { In, type EntityManager, type Repository } from 'typeorm';
import { alignByKey, entityInsert, entityReads, groupByKey, type EntityInsert, type EntityReads, type Viewer } from '../../../../shared/src';
import { ServiceReportEntity } from './ServiceReportEntity';
import { pageByCreation, type CreationPage } from '../persistence/pageByCreation';
import { ServiceRequestEntity } from './ServiceRequestEntity';
import { ServiceRequestEventEntity } from './ServiceRequestEventEntity';
import { actorOf } from '../persistence/WorkflowEventColumns';
import type { ServiceRequestStatus } from './serviceRequestRules';

/** What a submission writes; the database sets the times. */
const NEW_REQUEST_COLUMNS = [
  'id', 'offeringId', 'requesterId', 'requesterName', 'status', 'formValues', 'sampleCount', 'neededBy', 'description', 'idempotencyKey',
  'priceCategory', 'priceUnit', 'priceUnitFen', 'priceEstimateFen', 'quoteAmountFen', 'quoteValidUntil', 'closingReason', 'channel', 'channelClientId',
] as const;
export type NewServiceRequest = Pick<ServiceRequestEntity, (typeof NEW_REQUEST_COLUMNS)[number]>;

const EVENT_COLUMNS = ['requestId', 'status', 'note', 'actorId', 'actorName'] as const;

/**
 * Every query on service requests, their history and their reports. A submission's own reads and writes are
 * prepared raw statements (`entityReads`, `entityInsert`), as a booking request's are.
 */
export class ServiceRequestRepository {
  private readonly requests: Repository<ServiceRequestEntity>;
  private readonly events: Repository<ServiceRequestEventEntity>;
  private readonly reports: Repository<ServiceReportEntity>;
  private readonly reads: EntityReads<ServiceRequestEntity>;
  private readonly inserts: EntityInsert<NewServiceRequest>;
  private readonly eventInserts: EntityInsert<Pick<ServiceRequestEventEntity, (typeof EVENT_COLUMNS)[number]>>;

  constructor(manager: EntityManager) {
    this.requests = manager.getRepository(ServiceRequestEntity);
    this.events = manager.getRepository(ServiceRequestEventEntity);
    this.reports = manager.getRepository(ServiceReportEntity);
    this.reads = entityReads(manager, ServiceRequestEntity);
    this.inserts = entityInsert(manager, ServiceRequestEntity, NEW_REQUEST_COLUMNS);
    this.eventInserts = entityInsert(manager, ServiceRequestEventEntity, EVENT_COLUMNS);
  }

  findByIds(ids: readonly string[]): Promise<(ServiceRequestEntity | null)[]> {
    return this.reads.byIds(ids);
  }

  /** Requests of several people in one query, newest first. */
  async findByRequesterIds(requesterIds: readonly string[]): Promise<ServiceRequestEntity[][]> {
    const rows = await this.requests.find({ where: { requesterId: In([...requesterIds]) }, order: { createdAt: 'DESC', id: 'ASC' } });
    return groupByKey(requesterIds, rows, (row) => row.requesterId);
  }

  async eventsOf(requestIds: readonly string[]): Promise<ServiceRequestEventEntity[][]> {
    const rows = await this.events.find({ where: { requestId: In([...requestIds]) }, order: { id: 'ASC' } });
    return groupByKey(requestIds, rows, (row) => row.requestId);
  }

  /** Report facts (without the document) of several requests. */
  async reportsOf(requestIds: readonly string[]): Promise<(ServiceReportEntity | null)[]> {
    return alignByKey(requestIds, await this.reports.findBy({ requestId: In([...requestIds]) }), (row) => row.requestId);
  }

  /** The document itself, read only when a download asks for it. */
  async reportContent(requestId: string): Promise<Buffer | null> {
    const row = await this.reports.createQueryBuilder('r').addSelect('r.content').where('r.request_id = :requestId', { requestId }).getOne();
    return row?.content ?? null;
  }

  findByIdempotencyKey(requesterId: string, idempotencyKey: string): Promise<ServiceRequestEntity | null> {
    return this.reads.first(
      `SELECT ${this.reads.columns.select('r')} FROM service_requests r WHERE r.requester_id = $1 AND r.idempotency_key = $2`,
      [requesterId, idempotencyKey],
    );
  }

  /** A page of the province's requests for its staff, oldest first (the queue), keyset on (created_at, id). */
  async findPage(
    status: ServiceRequestStatus | undefined,
    first: number,
    after: { createdAt: Date; id: string } | null,
  ): Promise<CreationPage<ServiceRequestEntity>> {
    const filtered = () => {
      const query = this.requests.createQueryBuilder('r');
      if (status) query.andWhere('r.status = :status', { status });
      return query;
    };
    // Compared at the cursor's millisecond: created_at has microseconds, and a page used to start again with the row it ended on.
    return pageByCreation(filtered, 'r', 'ASC', first, after);
  }

  /**
   * Queues one person's submissions under one idempotency key behind each other until the transaction ends, so one
   * key makes one request; submissions under other keys go on at once.
   */
  async lockSubmission(requesterId: string, idempotencyKey: string): Promise<void> {
    await this.requests.query("SELECT pg_advisory_xact_lock(hashtextextended('service_requests.submission:' || $1 || ':' || $2, 0))", [requesterId, idempotencyKey]);
  }

  lockForUpdate(id: string): Promise<ServiceRequestEntity | null> {
    return this.requests.createQueryBuilder('r').setLock('pessimistic_write').where('r.id = :id', { id }).getOne();
  }

  async insert(request: NewServiceRequest): Promise<void> {
    await this.inserts.insert([request]);
  }

  async update(id: string, changes: Partial<ServiceRequestEntity>): Promise<void> {
    await this.requests.update({ id }, changes);
  }

  async insertReport(report: ServiceReportEntity): Promise<void> {
    await this.reports.insert(report);
  }

  async recordEvent(viewer: Viewer, event: Pick<ServiceRequestEventEntity, 'requestId' | 'status' | 'note'>): Promise<void> {
    await this.eventInserts.insert([{ ...event, ...actorOf(viewer) }]);
  }
}
