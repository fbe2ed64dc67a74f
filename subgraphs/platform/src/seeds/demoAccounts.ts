import { z } from 'zod';
import { AFFILIATION_KINDS, PROVINCE_KEYS, ROLES } from '../../../../shared/src';
import demoData from './demoAccounts.json';

const clientSchema = z.strictObject({
  clientId: z.string().min(1),
  clientSecret: z.string().min(16),
  name: z.string().min(1),
  scopes: z.array(z.string().min(1)).readonly(),
  contact: z.string().min(3),
  purpose: z.string().min(3),
  requestsPerMinute: z.number().int().positive(),
  requestsPerDay: z.number().int().positive(),
  /** Where a person's approval sends the code, for a client that acts for people. */
  redirectUris: z.array(z.url()).readonly().default([]),
  /** People who consented in the demo that the client acts for them, with the scopes they approved. */
  consents: z.array(z.strictObject({ username: z.string().min(1), scopes: z.array(z.string().min(1)).min(1) })).readonly().default([]),
});

const demoAccountSchema = z.strictObject({
  username: z.string().min(1),
  displayName: z.string().min(1),
  homeProvince: z.enum(PROVINCE_KEYS).nullable(),
  roles: z.array(z.enum(ROLES)).min(1),
  email: z.email().nullable(),
  locale: z.enum(['zh', 'en']),
  institution: z.string().min(1).max(200).nullable(),
  affiliation: z.enum(AFFILIATION_KINDS).nullable(),
  description: z.string(),
});

/**
 * The development-only identity provider `npm start` runs as `demo-idp` (shared/src/testing/demoOidcProvider.ts):
 * the platform's client registration there, and the people who can sign in (any password), with the claims it
 * asserts in the names the platform's claim mapping for it reads.
 */
const identityProviderSchema = z.strictObject({
  id: z.string().min(1),
  name: z.string().min(1),
  clientId: z.string().min(1),
  clientSecret: z.string().min(16),
  accounts: z.record(z.string(), z.strictObject({
    name: z.string().min(1),
    email: z.email(),
    email_verified: z.boolean(),
    province: z.enum(PROVINCE_KEYS),
    org: z.string().min(1),
    affiliation: z.enum(AFFILIATION_KINDS),
  })),
});

/** The embedded demo's people and partner clients (`demoAccounts.json`), checked when loaded; never created in production. */
const demo = z.strictObject({
  /** The one password of every demo account. */
  password: z.string().min(8),
  accounts: z.array(demoAccountSchema).readonly(),
  partnerClient: clientSchema,
  /** A read-only client for wall dashboards: it may read the public catalogue and figures, nothing else. */
  dashboardClient: clientSchema,
  /** Clients that differ between the provinces' grants (a hospital Sichuan lets check its cards, Chongqing not). */
  otherClients: z.array(clientSchema).readonly(),
  identityProvider: identityProviderSchema,
}).parse(demoData);

export type DemoAccount = z.infer<typeof demoAccountSchema>;
export type DemoClient = z.infer<typeof clientSchema>;

export const DEMO_PASSWORD = demo.password;
export const DEMO_ACCOUNTS: readonly DemoAccount[] = demo.accounts;
export const DEMO_PARTNER_CLIENT = demo.partnerClient;
export const DEMO_DASHBOARD_CLIENT = demo.dashboardClient;
export const DEMO_HOSPITAL_CLIENT = demo.otherClients.find((client) => client.clientId === 'demo-hospital')!;
/** Every demo client, registered at the embedded demo's start. */
export const DEMO_CLIENTS: readonly DemoClient[] = [demo.partnerClient, demo.dashboardClient, ...demo.otherClients];
export const DEMO_IDENTITY_PROVIDER = demo.identityProvider;
