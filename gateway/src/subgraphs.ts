import { PROVINCES } from '../../shared/src';
import { platformSchemaSdl } from '../../subgraphs/platform/src';
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
    sdl: platformSchemaSdl,
  },
  {
    name: 'sichuan',
    urlVariable: 'SICHUAN_URL',
    defaultUrl: 'http://localhost:4002/graphql',
    sdl: () => renderProvinceSchema(PROVINCES.sichuan, PROVINCES.chongqing),
  },
  {
    name: 'chongqing',
    urlVariable: 'CHONGQING_URL',
    defaultUrl: 'http://localhost:4003/graphql',
    sdl: () => renderProvinceSchema(PROVINCES.chongqing, PROVINCES.sichuan),
  },
];
