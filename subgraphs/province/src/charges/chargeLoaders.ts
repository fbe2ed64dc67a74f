import DataLoader from 'dataloader';
import type { ChargeEntity } from './ChargeEntity';
import type { ChargeRepository } from './ChargeRepository';
import type { ChargeService, ChargeView } from './ChargeService';

/** Per-request batching of charge reads: a charge comes with its lines and totals. */
export function createChargeLoaders(charges: ChargeRepository, service: Pick<ChargeService, 'views'>) {
  const viewsOf = async (rows: Promise<(ChargeEntity | null)[]>) => {
    const found = await rows;
    const views = new Map((await service.views(found)).map((view) => [view.id, view]));
    return found.map((row) => (row ? views.get(row.id)! : null));
  };
  return {
    charges: new DataLoader<string, ChargeView | null>((ids) => viewsOf(charges.findByIds(ids))),
    bookingCharges: new DataLoader<string, ChargeView | null>((ids) => viewsOf(charges.findByBookingIds(ids))),
    serviceRequestCharges: new DataLoader<string, ChargeView | null>((ids) => viewsOf(charges.findByServiceRequestIds(ids))),
  };
}

export type ChargeLoaders = ReturnType<typeof createChargeLoaders>;
