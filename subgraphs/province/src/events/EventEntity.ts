import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * One row of the province's outbox: a change, written in the transaction of the change. `sequence`
 * follows commit order (see OutboxRepository), so `events(after:)` never skips an event.
 */
@Entity('events')
export class EventEntity {
  /** bigint, kept as text. */
  @PrimaryColumn('bigint')
  sequence!: string;

  /** For subscribers' de-duplication: the same on every delivery of this event. */
  @Column('uuid')
  id!: string;

  @Column('varchar', { length: 60 })
  type!: string;

  @Column('varchar', { name: 'entity_type', length: 40 })
  entityType!: string;

  /** Global id of the entity. */
  @Column('varchar', { name: 'entity_id', length: 100 })
  entityId!: string;

  @Column('timestamptz', { name: 'occurred_at' })
  occurredAt!: Date;

  /** The entity's new state: ids and public fields only. */
  @Column('jsonb')
  state!: Record<string, unknown>;
}
