import { GATEWAY_SECRET_HEADER, type ClientStandings } from '../../../../shared/src';

interface StandingsAnswer {
  data?: {
    partnerClientStandings?: { clientId: string; suspended: boolean; expiresAt: string }[];
    revokedClientConsents?: string[];
  } | null;
  errors?: { message?: string }[];
}

/**
 * Asks the platform for every partner client's standing and the consents people revoked lately, as the gateway asks a subgraph: its `/graphql` with the
 * gateway secret (the field is answered to nobody else). Throws when the platform cannot answer; the directory
 * then keeps its last list for a while (ClientStatusDirectory).
 */
export function platformClientStandings(platformUrl: string, gatewaySecret: string | undefined, fetchPlatform: typeof fetch = fetch, timeoutMs = 3_000) {
  return async (): Promise<ClientStandings> => {
    const response = await fetchPlatform(platformUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(gatewaySecret ? { [GATEWAY_SECRET_HEADER]: gatewaySecret } : {}) },
      body: JSON.stringify({ query: 'query PartnerClientStandings { partnerClientStandings { clientId suspended expiresAt } revokedClientConsents }' }),
      signal: AbortSignal.timeout(timeoutMs),
    });
    const body = (await response.json()) as StandingsAnswer;
    const standings = body.data?.partnerClientStandings;
    const revokedConsents = body.data?.revokedClientConsents;
    if (response.status !== 200 || !standings || !revokedConsents) {
      throw new Error(`the platform answered partnerClientStandings with HTTP ${response.status}: ${body.errors?.[0]?.message ?? 'no data'}`);
    }
    return {
      clients: standings.map((standing) => ({ clientId: standing.clientId, suspended: standing.suspended, expiresAt: new Date(standing.expiresAt) })),
      revokedConsents,
    };
  };
}
