import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** One change to the registry, written in the same transaction as the change. */
@Entity('audit_log')
export class AuditEntryEntity {
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id!: string;

  @CreateDateColumn({ type: 'timestamptz' })
  at!: Date;

  @Column('varchar', { name: 'actor_id', length: 100 })
  actorId!: string;

  @Column('varchar', { name: 'actor_name', length: 200 })
  actorName!: string;

  /** e.g. `booking.confirmed`, `instrument.created`. */
  @Column('varchar', { length: 60 })
  action!: string;

  @Column('varchar', { name: 'entity_type', length: 40 })
  entityType!: string;

  /** Global id of what changed. */
  @Column('varchar', { name: 'entity_id', length: 100, nullable: true })
  entityId!: string | null;

  @Column('jsonb', { nullable: true })
  details!: Record<string, unknown> | null;
}
