import type { ClientStandings } from '../../../../shared/src';
import { askPlatform, type PlatformAccess } from '../domain/askPlatform';

interface StandingsAnswer {
  partnerClientStandings: { clientId: string; suspended: boolean; expiresAt: string }[];
  revokedClientConsents: string[];
}

/**
 * Every partner client's standing and the consents people revoked lately, from the platform (askPlatform). Throws
 * when the platform cannot answer; the directory then keeps its last list for a while (ClientStatusDirectory).
 */
export function platformClientStandings(access: PlatformAccess) {
  return async (): Promise<ClientStandings> => {
    const answer = await askPlatform<StandingsAnswer>(
      access, 'query PartnerClientStandings { partnerClientStandings { clientId suspended expiresAt } revokedClientConsents }', {},
      ['partnerClientStandings', 'revokedClientConsents'],
    );
    return {
      clients: answer.partnerClientStandings.map((standing) => ({ clientId: standing.clientId, suspended: standing.suspended, expiresAt: new Date(standing.expiresAt) })),
      revokedConsents: answer.revokedClientConsents,
    };
  };
}
