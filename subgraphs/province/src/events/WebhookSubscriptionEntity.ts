import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';

/** A partner client's webhook in this province: where to send which events, and the secret that signs them. */
@Entity('webhook_subscriptions')
export class WebhookSubscriptionEntity {
  @PrimaryColumn('uuid')
  id!: string;

  /** The partner client's id (its token's subject is `client:<clientId>`). */
  @Column('varchar', { name: 'client_id', length: 100 })
  clientId!: string;

  @Column('varchar', { length: 2048 })
  url!: string;

  @Column('text', { name: 'event_types', array: true })
  eventTypes!: string[];

  /**
   * Signs every delivery (HMAC-SHA256); shown once, when the subscription is created or its secret rotated. Stored
   * sealed (`secretSealed`, by the key `secretKeyId`); a plain one only until the province seals it at its next start
   * (a row from before sealing). Never selected with the subscription.
   */
  @Column('varchar', { length: 100, select: false, nullable: true })
  secret!: string | null;

  @Column('varchar', { name: 'secret_key_id', length: 40, select: false, nullable: true })
  secretKeyId!: string | null;

  @Column('text', { name: 'secret_sealed', select: false, nullable: true })
  secretSealed!: string | null;

  @Column('varchar', { length: 200, nullable: true })
  description!: string | null;

  @Column('boolean')
  active!: boolean;

  @CreateDateColumn({ type: 'timestamptz', name: 'created_at' })
  createdAt!: Date;

  @Column('varchar', { name: 'created_by', length: 100 })
  createdBy!: string;
}
