import { Column, Entity } from 'typeorm';
import { WorkflowEventColumns } from '../persistence/WorkflowEventColumns';
import type { ServiceRequestStatus } from './serviceRequestRules';

/** One step of a service request: who moved it to which status, when, and why. */
@Entity('service_request_events')
export class ServiceRequestEventEntity extends WorkflowEventColumns {
  @Column('uuid', { name: 'request_id' })
  requestId!: string;

  @Column('varchar', { length: 20 })
  status!: ServiceRequestStatus;
}
