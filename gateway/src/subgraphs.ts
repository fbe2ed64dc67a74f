import { PROVINCES, PROVINCE_KEYS, partnerOf } from '../../shared/src';
import { renderPlatformSchema } from '../../subgraphs/platform/src';
import { renderProvinceSchema } from '../../subgraphs/province/src';

/**
 * The one list of subgraphs: name, default URL and SDL. `npm run compose`
 * builds `supergraph.graphql` from it; the gateway reads the URLs of the
 * running services from the environment variables named here.
 */
export interface SubgraphEntry {
  readonly name: string;
  readonly urlVariable: string;
  readonly defaultUrl: string;
  readonly sdl: () => string;
}

export const SUBGRAPHS: readonly SubgraphEntry[] = [
  {
    name: 'platform',
    urlVariable: 'PLATFORM_URL',
    defaultUrl: 'http://localhost:4001/graphql',
    sdl: renderPlatformSchema,
  },
  ...PROVINCE_KEYS.map((key) => PROVINCES[key]).map((province) => ({
    name: province.key,
    urlVariable: `${province.key.toUpperCase()}_URL`,
    defaultUrl: `http://localhost:${province.defaultPort}/graphql`,
    sdl: () => renderProvinceSchema(province, partnerOf(province)),
  })),
];
