import type DataLoader from 'dataloader';
import type { ClientStatusDirectory, RequestIdentity } from '../../../shared/src';
import type { PartnerClientEntity } from './entities/PartnerClientEntity';
import type { UserEntity } from './entities/UserEntity';
import type { ExternalSignInService } from './externalSignIn/ExternalSignInService';
import type { AccountService } from './services/AccountService';
import type { AffiliationService } from './services/AffiliationService';
import type { MailSettingsService } from './services/MailSettingsService';
import type { AuthService } from './services/AuthService';
import type { PartnerClientService } from './services/PartnerClientService';
import type { CalendarFeedService } from './services/CalendarFeedService';
import type { ConsentService } from './services/ConsentService';
import type { SessionService } from './services/SessionService';

/** Per-request state: who asks, and loaders that batch this request's look-ups. */
export interface PlatformContext extends RequestIdentity {
  /** The caller's address, for login throttling (requests/platformClientAddress.ts). */
  readonly clientAddress: string;
  /** Whether the request presented GATEWAY_SECRET: the gateway's own calls (its calendar route). */
  readonly fromGateway: boolean;
  /** Users this request has just signed in as: their sign-in answer may show them their own data, though the request carried no token. */
  readonly signedInNow: Set<string>;
  readonly loaders: {
    readonly users: DataLoader<string, UserEntity | null>;
    readonly partnerClients: DataLoader<string, PartnerClientEntity | null>;
  };
  readonly services: {
    readonly auth: AuthService;
    readonly sessions: SessionService;
    readonly partnerClients: PartnerClientService;
    readonly calendarFeeds: CalendarFeedService;
    readonly externalSignIn: ExternalSignInService;
    readonly affiliations: AffiliationService;
    readonly mailSettings: MailSettingsService;
    readonly accounts: AccountService;
    readonly consents: ConsentService;
  };
  /** Partner clients' standings, by which this service admits client tokens as every subgraph does; forgotten when one changes here. */
  readonly clientStandings: ClientStatusDirectory;
}
