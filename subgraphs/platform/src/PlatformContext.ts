import type DataLoader from 'dataloader';
import type { ClientStatusDirectory, RequestIdentity } from '../../../shared/src';
import type { UserEntity } from './entities/UserEntity';
import type { AuthService } from './services/AuthService';
import type { PartnerClientService } from './services/PartnerClientService';
import type { SessionService } from './services/SessionService';

/** Per-request state: who asks, and loaders that batch this request's look-ups. */
export interface PlatformContext extends RequestIdentity {
  /** The caller's address, for login throttling (requests/platformClientAddress.ts). */
  readonly clientAddress: string;
  readonly loaders: {
    readonly users: DataLoader<string, UserEntity | null>;
  };
  readonly services: {
    readonly auth: AuthService;
    readonly sessions: SessionService;
    readonly partnerClients: PartnerClientService;
  };
  /** Partner clients' standings, by which this service admits client tokens as every subgraph does; forgotten when one changes here. */
  readonly clientStandings: ClientStatusDirectory;
}
