import type { ClientStanding } from '../../../../shared/src';
import { askPlatform, type PlatformAccess } from '../domain/askPlatform';

/**
 * Every partner client's standing, from the platform (askPlatform). Throws when the platform cannot answer; the
 * directory then keeps its last list for a while (ClientStatusDirectory).
 */
export function platformClientStandings(access: PlatformAccess) {
  return async (): Promise<ClientStanding[]> => {
    const standings = await askPlatform<{ clientId: string; suspended: boolean; expiresAt: string }[]>(
      access, 'partnerClientStandings', 'query PartnerClientStandings { partnerClientStandings { clientId suspended expiresAt } }',
    );
    return standings.map((standing) => ({ clientId: standing.clientId, suspended: standing.suspended, expiresAt: new Date(standing.expiresAt) }));
  };
}
