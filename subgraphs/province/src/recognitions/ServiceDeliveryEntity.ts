import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { TalentTier } from '../domain/registryTypes';

/** A recognised service this province's provider delivered to a partner card's holder (a redemption). */
@Entity('service_deliveries')
export class ServiceDeliveryEntity {
  @PrimaryColumn('uuid')
  id!: string;

  @Column('varchar', { name: 'item_code', length: 40 })
  itemCode!: string;

  @Column('varchar', { name: 'card_number', length: 40 })
  cardNumber!: string;

  /** The tier the issuer answered when the code was checked. */
  @Column('char', { name: 'card_tier', length: 1 })
  cardTier!: TalentTier;

  /** The holder's code (hashed) the redemption checked: a repeat with the same key must name the same code. */
  @Column('char', { name: 'code_hash', length: 64 })
  codeHash!: string;

  @Column('varchar', { name: 'actor_id', length: 100 })
  actorId!: string;

  @Column('varchar', { name: 'actor_name', length: 200, nullable: true })
  actorName!: string | null;

  @Column('varchar', { name: 'client_id', length: 64, nullable: true })
  clientId!: string | null;

  @Column('varchar', { name: 'idempotency_key', length: 100 })
  idempotencyKey!: string;

  @Column('varchar', { name: 'request_id', length: 100 })
  requestId!: string;

  @Column('timestamptz', { name: 'delivered_at' })
  deliveredAt!: Date;
}
