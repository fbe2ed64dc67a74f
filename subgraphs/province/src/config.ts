import { z } from 'zod';
import {
  PROVINCES, PROVINCE_KEYS, clientStatusEnvSchema, env, parseEnv, subgraphEnvSchema, toClientStatusConfig, toSubgraphConfig, partnerOf,
  type ClientStatusConfig, type ProvinceDefinition, type SubgraphConfig,
} from '../../../shared/src';

export interface ProvinceConfig extends SubgraphConfig {
  readonly province: ProvinceDefinition;
  readonly partner: ProvinceDefinition;
  readonly port: number;
  /** The gateway this province asks about the partner's public data (joint labs' partner instruments). */
  readonly gatewayUrl: string;
  /**
   * Most open bookings (requested, or confirmed and not yet ended) one person may hold on this province's
   * instruments (`MAX_OPEN_BOOKINGS_PER_PERSON`, default 50; 0 = no cap), so nobody can hoard slots.
   */
  readonly maxOpenBookingsPerPerson: number;
  /** The platform subgraph, asked (with the gateway secret) for partner clients' standings (`PLATFORM_URL`). */
  readonly platformUrl: string;
  readonly clientStatus: ClientStatusConfig;
}



/** Open bookings one person may hold in a province unless configured otherwise. */
export const DEFAULT_MAX_OPEN_BOOKINGS_PER_PERSON = 50;

/** Where the gateway runs in the embedded demo (`npm start`). */
export const DEFAULT_GATEWAY_URL = 'http://localhost:4000/graphql';

const schema = z.object({
  ...subgraphEnvSchema,
  ...clientStatusEnvSchema,
  PLATFORM_URL: env.url().optional(),
  PROVINCE: z.enum(PROVINCE_KEYS, { message: `expected ${PROVINCE_KEYS.join(' or ')}` }),
  PORT: env.optionalPort(),
  GATEWAY_URL: env.url().default(DEFAULT_GATEWAY_URL),
  MAX_OPEN_BOOKINGS_PER_PERSON: env.wholeNumber(DEFAULT_MAX_OPEN_BOOKINGS_PER_PERSON, '0 turns the cap off'),
});

export function loadProvinceConfig(source: Record<string, string | undefined> = process.env): ProvinceConfig {
  const vars = parseEnv(schema, source);
  const province = PROVINCES[vars.PROVINCE];
  return Object.freeze({
    ...toSubgraphConfig(vars, province.key),
    province,
    partner: partnerOf(province),
    // Each province has its own default port, so all of them can run side by side on one machine.
    port: vars.PORT ?? province.defaultPort,
    gatewayUrl: vars.GATEWAY_URL,
    maxOpenBookingsPerPerson: vars.MAX_OPEN_BOOKINGS_PER_PERSON,
    // The platform serves its keys and its GraphQL side by side: by default it is asked where its keys are.
    platformUrl: vars.PLATFORM_URL ?? new URL('/graphql', vars.JWKS_URL).toString(),
    clientStatus: toClientStatusConfig(vars),
  });
}
