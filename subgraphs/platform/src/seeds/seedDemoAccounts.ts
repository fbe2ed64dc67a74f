import { seededUserId, stableUuid } from '../../../../shared/src';
import { PartnerClientEntity } from '../entities/PartnerClientEntity';
import { UserEntity } from '../entities/UserEntity';
import { ClientConsentEntity } from '../entities/ClientConsentEntity';
import type { ClientConsentRepository } from '../repositories/ClientConsentRepository';
import type { PartnerClientRepository } from '../repositories/PartnerClientRepository';
import type { UserRepository } from '../repositories/UserRepository';
import { hashPassword } from '../services/passwords';
import { DEMO_ACCOUNTS, DEMO_CLIENTS, DEMO_PASSWORD } from './demoAccounts';

/** Creates the demo accounts that are missing; a second start changes nothing. */
export async function seedDemoAccounts(users: UserRepository, clients: PartnerClientRepository, consents: ClientConsentRepository): Promise<void> {
  const passwordHash = await hashPassword(DEMO_PASSWORD);
  await users.insertMissing(
    DEMO_ACCOUNTS.map((account) =>
      Object.assign(new UserEntity(), {
        // Stable ids, so province seed data can name card holders without reading this database.
        id: seededUserId(account.username),
        username: account.username,
        displayName: account.displayName,
        homeProvince: account.homeProvince,
        roles: account.roles,
        passwordHash,
        disabled: false,
        email: account.email,
        emailVerifiedAt: account.email ? new Date() : null,
        requiresEmailVerification: false,
        locale: account.locale,
        institution: account.institution,
        affiliation: account.affiliation,
        affiliationVerified: account.affiliation !== null,
      }),
    ),
  );
  await clients.insertMissing(
    await Promise.all(
      DEMO_CLIENTS.map(async (client) =>
        Object.assign(new PartnerClientEntity(), {
          id: stableUuid(`client:${client.clientId}`),
          clientId: client.clientId,
          name: client.name,
          contact: client.contact,
          purpose: client.purpose,
          secretHash: await hashPassword(client.clientSecret),
          previousSecretHash: null,
          previousSecretValidUntil: null,
          secretRotatedAt: null,
          scopes: [...client.scopes],
          // A demo registration runs a year from the first start; a demo kept longer is renewed by a platform admin.
          expiresAt: new Date(Date.now() + 365 * 86_400_000),
          suspendedAt: null,
          suspensionReason: null,
          requestsPerMinute: client.requestsPerMinute,
          requestsPerDay: client.requestsPerDay,
          redirectUris: [...client.redirectUris],
        }),
      ),
    ),
  );
  // A consent a person gave a client in the demo (li.wei lets the university portal book for her): the portal still
  // needs her approval of a request to get a code, which finds this consent and keeps it.
  await consents.insertMissing(
    DEMO_CLIENTS.flatMap((client) =>
      client.consents.map((consent) =>
        Object.assign(new ClientConsentEntity(), {
          id: stableUuid(`consent:${client.clientId}:${consent.username}`),
          userId: seededUserId(consent.username),
          clientId: client.clientId,
          scopes: [...consent.scopes].sort(),
          grantedAt: new Date(),
          revokedAt: null,
          revokedReason: null,
          lastUsedAt: null,
        }),
      ),
    ),
  );
}
