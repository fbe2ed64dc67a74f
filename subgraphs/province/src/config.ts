import { z } from 'zod';
import { PROVINCES, env, parseEnv, subgraphEnvSchema, toSubgraphConfig, type ProvinceDefinition, type SubgraphConfig } from '../../../shared/src';

export interface ProvinceConfig extends SubgraphConfig {
  readonly province: ProvinceDefinition;
  readonly partner: ProvinceDefinition;
  readonly port: number;
  /** The gateway this province asks about the partner's public data (joint labs' partner instruments). */
  readonly gatewayUrl: string;
}

/** Where the gateway runs in the embedded demo (`npm start`). */
export const DEFAULT_GATEWAY_URL = 'http://localhost:4000/graphql';

/** Default ports when PORT is not set, so both provinces can run side by side on one machine. */
const DEFAULT_PORT = { sichuan: 4002, chongqing: 4003 } as const;

const schema = z.object({
  ...subgraphEnvSchema,
  PROVINCE: z.enum(['sichuan', 'chongqing'], { message: 'expected sichuan or chongqing' }),
  PORT: env.optionalPort(),
  GATEWAY_URL: env.url().default(DEFAULT_GATEWAY_URL),
});

export function loadProvinceConfig(source: Record<string, string | undefined> = process.env): ProvinceConfig {
  const vars = parseEnv(schema, source);
  const province = PROVINCES[vars.PROVINCE];
  return Object.freeze({
    ...toSubgraphConfig(vars, province.key),
    province,
    partner: PROVINCES[province.partner],
    port: vars.PORT ?? DEFAULT_PORT[province.key],
    gatewayUrl: vars.GATEWAY_URL,
  });
}
