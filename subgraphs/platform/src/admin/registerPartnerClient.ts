import { randomBytes, randomUUID } from 'node:crypto';
import { parseInput, withMigratedDatabase } from '../../../../shared/src';
import { PartnerClientEntity } from '../entities/PartnerClientEntity';
import { createPlatformDataSource } from '../platformDataSource';
import { PartnerClientRepository } from '../repositories/PartnerClientRepository';
import { hashPassword } from '../services/passwords';
import { accountInput } from './accountInput';

export interface PartnerClientRequest {
  readonly clientId: string;
  readonly name: string;
  readonly scopes: readonly string[];
}

export type PartnerClientResult =
  /** The secret exists only here: the database keeps its hash, so it is shown once. */
  | { readonly status: 'registered'; readonly clientId: string; readonly scopes: readonly string[]; readonly secret: string }
  | { readonly status: 'unchanged'; readonly clientId: string; readonly scopes: readonly string[] };

/**
 * Registers a partner system for the client-credentials grant (`issueClientToken`), with a generated
 * secret stored only as a hash, as a password is. Idempotent: a client of that id with the same name and
 * scopes is left as it is (its secret is not shown again); one that differs is refused, never changed.
 */
export async function registerPartnerClient(databaseUrl: string, request: PartnerClientRequest): Promise<PartnerClientResult> {
  const clientId = parseInput(accountInput.name, request.clientId, 'client id');
  const name = parseInput(accountInput.displayName, request.name, 'name');
  const scopes = parseInput(accountInput.scopes, request.scopes, 'scopes');
  const secret = randomBytes(24).toString('base64url');
  const client = Object.assign(new PartnerClientEntity(), { id: randomUUID(), clientId, name, secretHash: await hashPassword(secret), scopes, disabled: false });
  return withMigratedDatabase('platform', createPlatformDataSource(databaseUrl, 1), async (dataSource) => {
    const clients = new PartnerClientRepository(dataSource);
    if ((await clients.insertMissing([client])) === 1) return { status: 'registered', clientId, scopes, secret };
    const existing = (await clients.findByClientId(clientId))!;
    if (existing.name !== name || [...existing.scopes].sort().join(' ') !== scopes.join(' ')) {
      throw new Error(`a partner client ${clientId} is already registered as "${existing.name}" with scopes ${existing.scopes.join(' ')}; nothing was changed`);
    }
    return { status: 'unchanged', clientId, scopes };
  });
}
