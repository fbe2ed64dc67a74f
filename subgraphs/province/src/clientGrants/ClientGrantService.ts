import { z } from 'zod';
import {
  PARTNER_SCOPES, badUserInput, channelClientOf, clientIdOf, forbidden, input, notFound, parseInput, refusalOf, type ClientStatusDirectory, type ProvinceDefinition,
  type Viewer,
} from '../../../../shared/src';
import type { AuditRepository } from '../audit/AuditRepository';
import { RECOGNITION_ITEM_CODES } from '../domain/registryTypes';
import type { ProvinceAdmin } from '../domain/provinceAdmin';
import type { UnitOfWork } from '../persistence/UnitOfWork';
import { ClientGrantEntity } from './ClientGrantEntity';
import type { ClientGrantRepository } from './ClientGrantRepository';

/**
 * What this province lets a partner client have now, without a request of the client's own (webhooks it is sent):
 * the scopes this province grants it, or why it is not served at all (suspended, expired, unknown to the platform).
 */
export type ClientEntitlement = { readonly scopes: ReadonlySet<string> } | { readonly refusal: string };

/** What a grant changes, named by shape: the repositories of one unit of work. */
export interface ClientGrantTransaction {
  readonly clientGrants: ClientGrantRepository;
  readonly audit: AuditRepository;
}

const clientIdSchema = input.text(1, 64);
const scopesSchema = z
  .array(z.enum(PARTNER_SCOPES, { message: `expected scopes among ${PARTNER_SCOPES.join(', ')}` }))
  .min(1, { message: 'grant at least one scope; revoke the grant to take every scope away' })
  .transform((scopes) => [...new Set(scopes)].sort());
const itemsSchema = z
  .array(z.enum(RECOGNITION_ITEM_CODES, { message: `expected recognition item codes among ${RECOGNITION_ITEM_CODES.join(', ')}` }))
  .nullish()
  .transform((items) => [...new Set(items ?? [])].sort());

/**
 * This province's say over partner clients: its admins grant each client scopes for this province's data, and
 * every request of a client is served with only the scopes its token carries AND this province grants, whatever
 * the token claims. A client the platform suspended, or whose registration ended, is refused outright.
 */
export class ClientGrantService {
  constructor(
    private readonly province: ProvinceDefinition,
    private readonly grants: ClientGrantRepository,
    private readonly unitOfWork: UnitOfWork<ClientGrantTransaction>,
    private readonly standings: ClientStatusDirectory,
  ) {}

  /**
   * The viewer this province serves: a client's token scopes narrowed to this province's grant, and so are those
   * of a token a client holds for a person (a province that did not grant the client booking refuses its bookings,
   * whatever the person consented to); people calling themselves unchanged.
   */
  async admit(viewer: Viewer | null): Promise<Viewer | null> {
    const clientId = channelClientOf(viewer);
    if (!viewer || clientId === null) return viewer;
    await this.standings.admit(viewer);
    const granted = new Set((await this.grants.find(clientId))?.scopes ?? []);
    const scopes = viewer.scopes.filter((scope) => granted.has(scope));
    if (viewer.delegation && scopes.length === 0) {
      // A province that lets the client do nothing for people refuses its tokens for them outright, with the reason,
      // rather than field by field (the directives would refuse each field for want of a scope).
      throw forbidden(`${this.province.nameEn} has not granted partner client ${clientId} any of this token's scopes (${viewer.scopes.join(' ') || 'none'}), so it may not act for people here; a ${this.province.nameEn} admin grants it.`, { reason: 'CLIENT_NOT_GRANTED' });
    }
    return Object.freeze({ ...viewer, scopes: Object.freeze(scopes) });
  }

  /** The client's entitlement here: its standing with the platform, then this province's grant. */
  async entitlement(clientId: string, now = Date.now()): Promise<ClientEntitlement> {
    return (await this.entitlements([clientId], now)).get(clientId)!;
  }

  /** The entitlements of several clients (a round of webhook deliveries): their grants read with one query. */
  async entitlements(clientIds: readonly string[], now = Date.now()): Promise<ReadonlyMap<string, ClientEntitlement>> {
    const refusals = new Map<string, string>();
    for (const clientId of new Set(clientIds)) {
      const refusal = refusalOf(clientId, await this.standings.freshStanding(clientId), now);
      if (refusal) refusals.set(clientId, refusal);
    }
    const granted = clientIds.filter((clientId) => !refusals.has(clientId));
    const grants = new Map(granted.length > 0 ? (await this.grants.findMany(granted)).map((grant) => [grant.clientId, grant.scopes]) : []);
    return new Map(clientIds.map((clientId): [string, ClientEntitlement] => {
      const refusal = refusals.get(clientId);
      return [clientId, refusal ? { refusal } : { scopes: new Set(grants.get(clientId) ?? []) }];
    }));
  }

  /**
   * Sets the client's grant: its scopes and, for a service provider (card:verify), the recognition items of this
   * province's catalogue it delivers; its card checks are answered only those.
   */
  async grant(admin: ProvinceAdmin, clientId: string, scopes: readonly string[], recognitionItems?: readonly string[] | null): Promise<ClientGrantEntity> {
    const id = parseInput(clientIdSchema, clientId, 'clientId');
    const valid = parseInput(scopesSchema, scopes, 'scopes');
    const items = parseInput(itemsSchema, recognitionItems, 'recognitionItems');
    if (items.length > 0 && !valid.includes('card:verify')) {
      throw badUserInput('recognitionItems: a client delivers recognised services only with the scope card:verify, which checks the card first; grant both.', {
        argument: 'recognitionItems',
      });
    }
    if (!(await this.standings.freshStanding(id))) {
      throw notFound(`No partner client ${id} is registered with the platform; a platform admin registers it first.`, { argument: 'clientId' });
    }
    const grant = Object.assign(new ClientGrantEntity(), { clientId: id, scopes: valid, recognitionItems: items, grantedBy: admin.displayName ?? admin.subject, grantedAt: new Date() });
    await this.unitOfWork.run(async (tx) => {
      await tx.clientGrants.put(grant);
      await tx.audit.record(admin, { action: 'client.granted', entityType: 'client', entityId: id, details: { scopes: valid, recognitionItems: items, province: this.province.key } });
    });
    return grant;
  }

  /** Takes every scope this province granted the client away; false when it had none. */
  async revoke(admin: ProvinceAdmin, clientId: string): Promise<boolean> {
    const id = parseInput(clientIdSchema, clientId, 'clientId');
    return this.unitOfWork.run(async (tx) => {
      const removed = await tx.clientGrants.remove(id);
      if (removed) await tx.audit.record(admin, { action: 'client.grant_revoked', entityType: 'client', entityId: id });
      return removed;
    });
  }

  list(): Promise<ClientGrantEntity[]> {
    return this.grants.findAll();
  }

  find(clientId: string): Promise<ClientGrantEntity | null> {
    return this.grants.find(clientId);
  }
}
