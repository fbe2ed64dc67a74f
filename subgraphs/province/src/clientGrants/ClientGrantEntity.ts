import { Column, Entity, PrimaryColumn } from 'typeorm';

/** The scopes this province grants one partner client for its own data. */
@Entity('client_grants')
export class ClientGrantEntity {
  @PrimaryColumn('varchar', { name: 'client_id', length: 64 })
  clientId!: string;

  @Column('text', { array: true })
  scopes!: string[];

  /** The admin who granted it, by display name. */
  @Column('varchar', { name: 'granted_by', length: 200 })
  grantedBy!: string;

  @Column('timestamptz', { name: 'granted_at' })
  grantedAt!: Date;
}
