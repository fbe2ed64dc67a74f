import { Column, Entity, PrimaryColumn } from 'typeorm';

/** The scopes this province grants one partner client for its own data. */
@Entity('client_grants')
export class ClientGrantEntity {
  @PrimaryColumn('varchar', { name: 'client_id', length: 64 })
  clientId!: string;

  @Column('text', { array: true })
  scopes!: string[];

  /** The recognition items (codes of this province's catalogue) the client delivers: what its card checks answer. */
  @Column('text', { name: 'recognition_items', array: true, default: () => "'{}'" })
  recognitionItems!: string[];

  /** The admin who granted it, by display name. */
  @Column('varchar', { name: 'granted_by', length: 200 })
  grantedBy!: string;

  @Column('timestamptz', { name: 'granted_at' })
  grantedAt!: Date;
}
