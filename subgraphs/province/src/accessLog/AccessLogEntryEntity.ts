import { Column, Entity, PrimaryColumn } from 'typeorm';

export type AccessKind = 'read' | 'write';
export type ActorKind = 'user' | 'client' | 'anonymous';

/** One line of the access log: what one request read or wrote of one type of private record. Never changed. */
@Entity('access_log')
export class AccessLogEntryEntity {
  /** bigint, kept as text. */
  @PrimaryColumn('bigint')
  id!: string;

  @Column('timestamptz')
  at!: Date;

  @Column('varchar', { name: 'request_id', length: 100 })
  requestId!: string;

  @Column('varchar', { length: 5 })
  kind!: AccessKind;

  @Column('varchar', { name: 'actor_kind', length: 9 })
  actorKind!: ActorKind;

  /** The token's subject: a person's user id or `client:<id>`; null when anonymous. */
  @Column('varchar', { name: 'actor_id', length: 200, nullable: true })
  actorId!: string | null;

  @Column('varchar', { name: 'actor_name', length: 200, nullable: true })
  actorName!: string | null;

  /** The partner client the request came through, if any. */
  @Column('varchar', { name: 'client_id', length: 64, nullable: true })
  clientId!: string | null;

  /** The root field of the request that reached the records (`sichuan`, `_entities`, `confirmSichuanBooking`…). */
  @Column('varchar', { length: 200 })
  operation!: string;

  @Column('varchar', { name: 'operation_name', length: 200, nullable: true })
  operationName!: string | null;

  /** The GraphQL type of the records (`SichuanBooking`, `AuditEntry`…). */
  @Column('varchar', { name: 'entity_type', length: 80 })
  entityType!: string;

  /** Their ids: global ids, card numbers for card checks, entry ids for the audit log. */
  @Column('text', { name: 'entity_ids', array: true })
  entityIds!: string[];
}
