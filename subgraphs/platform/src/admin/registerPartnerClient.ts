import { parseInput, withMigratedDatabase } from '../../../../shared/src';
import { createPlatformDataSource } from '../platformDataSource';
import { PartnerClientRepository } from '../repositories/PartnerClientRepository';
import { PartnerClientService } from '../services/PartnerClientService';
import { accountInput } from './accountInput';

export interface PartnerClientRequest {
  readonly clientId: string;
  /** The organisation. */
  readonly name: string;
  readonly scopes: readonly string[];
  readonly contact?: string;
  readonly purpose?: string;
  /** Default: a year from now. */
  readonly expiresAt?: Date;
  readonly requestsPerMinute?: number;
  readonly requestsPerDay?: number;
}

export type PartnerClientResult =
  /** The secret exists only here: the database keeps its hash, so it is shown once. */
  | { readonly status: 'registered'; readonly clientId: string; readonly scopes: readonly string[]; readonly secret: string }
  | { readonly status: 'unchanged'; readonly clientId: string; readonly scopes: readonly string[] };

/** What the operator's command registers when it is not told otherwise. */
export const OPERATOR_DEFAULTS = { contact: 'not recorded', purpose: 'not recorded', requestsPerMinute: 600, requestsPerDay: 100_000, days: 365 } as const;

/**
 * Registers a partner system for the client-credentials grant (`issueClientToken`) through the same service as
 * the API's `registerPartnerClient`. Idempotent: a client of that id with the same name and scopes is left as it
 * is (its secret is not shown again); one that differs is refused, never changed.
 */
export async function registerPartnerClient(databaseUrl: string, request: PartnerClientRequest): Promise<PartnerClientResult> {
  // Checked here first, so the operator's messages name the command's own options.
  const clientId = parseInput(accountInput.name, request.clientId, 'client id');
  const name = parseInput(accountInput.displayName, request.name, 'name');
  const scopes = parseInput(accountInput.scopes, request.scopes, 'scopes');
  return withMigratedDatabase('platform', createPlatformDataSource(databaseUrl, 1), async (dataSource) => {
    const outcome = await new PartnerClientService(new PartnerClientRepository(dataSource)).register({
      clientId,
      organisation: name,
      scopes,
      contact: request.contact ?? OPERATOR_DEFAULTS.contact,
      purpose: request.purpose ?? OPERATOR_DEFAULTS.purpose,
      expiresAt: request.expiresAt ?? new Date(Date.now() + OPERATOR_DEFAULTS.days * 86_400_000),
      requestsPerMinute: request.requestsPerMinute ?? OPERATOR_DEFAULTS.requestsPerMinute,
      requestsPerDay: request.requestsPerDay ?? OPERATOR_DEFAULTS.requestsPerDay,
    });
    if (outcome.status === 'registered') return { status: 'registered', clientId, scopes, secret: outcome.secret };
    const existing = outcome.client;
    if (existing.name !== name || [...existing.scopes].sort().join(' ') !== scopes.join(' ')) {
      throw new Error(`a partner client ${clientId} is already registered as "${existing.name}" with scopes ${existing.scopes.join(' ')}; nothing was changed`);
    }
    return { status: 'unchanged', clientId, scopes };
  });
}
