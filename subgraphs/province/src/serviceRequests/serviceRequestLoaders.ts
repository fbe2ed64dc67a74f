import DataLoader from 'dataloader';
import type { ServiceReportEntity } from './ServiceReportEntity';
import type { ServiceRequestEntity } from './ServiceRequestEntity';
import type { ServiceRequestEventEntity } from './ServiceRequestEventEntity';
import type { ServiceRequestRepository } from './ServiceRequestRepository';

/** Per-request batching of service request reads. */
export function createServiceRequestLoaders(requests: ServiceRequestRepository) {
  return {
    serviceRequests: new DataLoader<string, ServiceRequestEntity | null>((ids) => requests.findByIds(ids)),
    serviceRequestsByRequester: new DataLoader<string, ServiceRequestEntity[]>((ids) => requests.findByRequesterIds(ids)),
    serviceRequestEvents: new DataLoader<string, ServiceRequestEventEntity[]>((ids) => requests.eventsOf(ids)),
    serviceReports: new DataLoader<string, ServiceReportEntity | null>((ids) => requests.reportsOf(ids)),
  };
}

export type ServiceRequestLoaders = ReturnType<typeof createServiceRequestLoaders>;
