/** The authorization specs each subgraph enforces itself (see enforceAuthorizationDirectives). */
const SUBGRAPH_ENFORCED_SPECS = ['authenticated', 'requiresScopes', 'policy'];

/**
 * The supergraph as @apollo/gateway can load it. The committed supergraph
 * links the authorization specs `for: SECURITY`, so that partners and routers
 * that enforce them (Apollo Router, Hive Gateway) see the rules. The Node
 * gateway implements none of them and therefore refuses such a supergraph;
 * here every subgraph enforces its own rules (a caller can reach a subgraph
 * directly anyway), so the gateway loads them as plain metadata.
 */
export function supergraphForGateway(supergraphSdl: string): string {
  return supergraphSdl.replace(
    /(@link\(url: "https:\/\/specs\.apollo\.dev\/(\w+)\/v[\d.]+"), for: SECURITY\)/g,
    (link, head: string, spec: string) => (SUBGRAPH_ENFORCED_SPECS.includes(spec) ? `${head})` : link),
  );
}
