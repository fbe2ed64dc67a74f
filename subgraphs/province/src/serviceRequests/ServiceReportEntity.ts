import { Column, Entity, PrimaryColumn } from 'typeorm';

/** The report document of a service request, kept in this province's database beside the request. */
@Entity('service_reports')
export class ServiceReportEntity {
  @PrimaryColumn('uuid', { name: 'request_id' })
  requestId!: string;

  @Column('varchar', { name: 'file_name', length: 200 })
  fileName!: string;

  @Column('varchar', { name: 'content_type', length: 100 })
  contentType!: string;

  @Column('integer', { name: 'size_bytes' })
  sizeBytes!: number;

  @Column('char', { length: 64 })
  sha256!: string;

  @Column('bytea', { select: false })
  content!: Buffer;

  @Column('varchar', { name: 'uploaded_by', length: 100 })
  uploadedBy!: string;

  @Column('timestamptz', { name: 'uploaded_at' })
  uploadedAt!: Date;
}
