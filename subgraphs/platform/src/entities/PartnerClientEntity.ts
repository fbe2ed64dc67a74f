import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';

/** A partner system (university, company, testing centre) using the client-credentials grant. */
@Entity('partner_clients')
export class PartnerClientEntity {
  @PrimaryColumn('uuid')
  id!: string;

  @Column('varchar', { name: 'client_id', length: 64, unique: true })
  clientId!: string;

  @Column('varchar', { length: 120 })
  name!: string;

  /** Hashed like a password: a leaked table gives no usable secret. */
  @Column('varchar', { name: 'secret_hash', length: 255 })
  secretHash!: string;

  @Column('text', { array: true })
  scopes!: string[];

  @Column('boolean', { default: false })
  disabled!: boolean;

  @CreateDateColumn({ type: 'timestamptz', name: 'created_at' })
  createdAt!: Date;
}
