import { GATEWAY_SECRET_HEADER, type ClientStanding } from '../../../../shared/src';

interface StandingsAnswer {
  data?: { partnerClientStandings?: { clientId: string; suspended: boolean; expiresAt: string }[] } | null;
  errors?: { message?: string }[];
}

/**
 * Asks the platform for every partner client's standing, as the gateway asks a subgraph: its `/graphql` with the
 * gateway secret (the field is answered to nobody else). Throws when the platform cannot answer; the directory
 * then keeps its last list for a while (ClientStatusDirectory).
 */
export function platformClientStandings(platformUrl: string, gatewaySecret: string | undefined, fetchPlatform: typeof fetch = fetch, timeoutMs = 3_000) {
  return async (): Promise<ClientStanding[]> => {
    const response = await fetchPlatform(platformUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(gatewaySecret ? { [GATEWAY_SECRET_HEADER]: gatewaySecret } : {}) },
      body: JSON.stringify({ query: 'query PartnerClientStandings { partnerClientStandings { clientId suspended expiresAt } }' }),
      signal: AbortSignal.timeout(timeoutMs),
    });
    const body = (await response.json()) as StandingsAnswer;
    const standings = body.data?.partnerClientStandings;
    if (response.status !== 200 || !standings) {
      throw new Error(`the platform answered partnerClientStandings with HTTP ${response.status}: ${body.errors?.[0]?.message ?? 'no data'}`);
    }
    return standings.map((standing) => ({ clientId: standing.clientId, suspended: standing.suspended, expiresAt: new Date(standing.expiresAt) }));
  };
}
