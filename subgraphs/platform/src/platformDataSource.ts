import { createDataSource } from '../../../shared/src';
import { PartnerClientEntity } from './entities/PartnerClientEntity';
import { RefreshTokenEntity } from './entities/RefreshTokenEntity';
import { UserEntity } from './entities/UserEntity';
import { CalendarFeedEntity } from './entities/CalendarFeedEntity';
import { AuthorizationCodeEntity } from './entities/AuthorizationCodeEntity';
import { ClientConsentEntity } from './entities/ClientConsentEntity';
import { AddClientConsents1796290000000 } from './migrations/1796290000000-AddClientConsents';
import { AddCalendarFeeds1796260000000 } from './migrations/1796260000000-AddCalendarFeeds';
import { CreateIdentity1764000000000 } from './migrations/1764000000000-CreateIdentity';
import { CreateRefreshTokens1764200000000 } from './migrations/1764200000000-CreateRefreshTokens';
import { AddLoginThrottle1796100000000 } from './migrations/1796100000000-AddLoginThrottle';
import { ManagePartnerClients1796220000000 } from './migrations/1796220000000-ManagePartnerClients';
import { AddExternalSignIn1796210000000 } from './migrations/1796210000000-AddExternalSignIn';
import { AddMailNotificationSetting1796310000000 } from './migrations/1796310000000-AddMailNotificationSetting';

/** The platform's own database: identities only, never province data. */
export function createPlatformDataSource(url: string, poolSize: number) {
  return createDataSource({
    url,
    poolSize,
    applicationName: 'shuangcheng-platform',
    entities: [UserEntity, PartnerClientEntity, RefreshTokenEntity, CalendarFeedEntity, ClientConsentEntity, AuthorizationCodeEntity],
    migrations: [
      CreateIdentity1764000000000, CreateRefreshTokens1764200000000, AddLoginThrottle1796100000000, AddExternalSignIn1796210000000,
      ManagePartnerClients1796220000000, AddCalendarFeeds1796260000000, AddClientConsents1796290000000, AddMailNotificationSetting1796310000000,
    ],
    migrationsTableName: 'platform_migrations',
  });
}
