import { Column } from 'typeorm';
import type { Viewer } from '../../../../shared/src';

/** How a booking or service request reached this province: from the person, or from a partner client acting for them. */
export type RequestChannel = 'DIRECT' | 'PARTNER_CLIENT';

/** The channel columns bookings and service requests share. */
export class RequestChannelColumns {
  @Column('varchar', { length: 20, default: 'DIRECT' })
  channel!: RequestChannel;

  /** The partner client that acted for the person, with their consent; null for DIRECT. */
  @Column('varchar', { name: 'channel_client_id', length: 64, nullable: true })
  channelClientId!: string | null;
}

/** The channel of a request made with this viewer's token. */
export function channelOf(viewer: Viewer): Pick<RequestChannelColumns, 'channel' | 'channelClientId'> {
  return viewer.delegation ? { channel: 'PARTNER_CLIENT', channelClientId: viewer.delegation.clientId } : { channel: 'DIRECT', channelClientId: null };
}
