import { join } from 'node:path';
import { z } from 'zod';
import { authEnvSchema, env, parseEnv, toAuthConfig, type AuthConfig } from '../../shared/src';
import { SUBGRAPHS } from './subgraphs';

export const SUPERGRAPH_FILE = join(__dirname, '..', 'supergraph.graphql');

export interface GatewayConfig {
  readonly port: number;
  readonly host: string;
  readonly logLevel: string;
  readonly production: boolean;
  readonly supergraphFile: string;
  /** Where each subgraph runs, by subgraph name; defaults to the URLs in the supergraph. */
  readonly subgraphUrls: Readonly<Record<string, string>>;
  readonly auth: AuthConfig;
  /** Largest accepted request body. */
  readonly bodyLimitBytes: number;
}

const subgraphUrlSchema = Object.fromEntries(SUBGRAPHS.map((subgraph) => [subgraph.urlVariable, env.url().optional()]));

const schema = z.object({
  ...authEnvSchema,
  ...subgraphUrlSchema,
  NODE_ENV: env.nodeEnv(),
  PORT: env.port(4000),
  HOST: z.string().default('127.0.0.1'),
  LOG_LEVEL: env.logLevel(),
  SUPERGRAPH_FILE: z.string().default(SUPERGRAPH_FILE),
  MAX_BODY_BYTES: env.positiveInt(1_000_000),
});

export function loadGatewayConfig(source: Record<string, string | undefined> = process.env): GatewayConfig {
  const vars = parseEnv(schema, source) as z.infer<typeof schema> & Record<string, string | undefined>;
  const subgraphUrls = Object.fromEntries(
    SUBGRAPHS.map((subgraph) => [subgraph.name, vars[subgraph.urlVariable] ?? subgraph.defaultUrl]),
  );
  return Object.freeze({
    port: vars.PORT,
    host: vars.HOST,
    logLevel: vars.LOG_LEVEL,
    production: vars.NODE_ENV === 'production',
    supergraphFile: vars.SUPERGRAPH_FILE,
    subgraphUrls: Object.freeze(subgraphUrls),
    auth: toAuthConfig(vars),
    bodyLimitBytes: vars.MAX_BODY_BYTES,
  });
}
