import { randomBytes, randomUUID } from 'node:crypto';
import { z } from 'zod';
import {
  clientIdOf, conflict, forbidden, input, notFound, parseInput, type ClientStanding, type Viewer,
} from '../../../../shared/src';
import { accountInput } from '../admin/accountInput';
import { PartnerClientEntity } from '../entities/PartnerClientEntity';
import type { PartnerClientRepository } from '../repositories/PartnerClientRepository';
import { dummyHash, hashPassword, verifyPassword } from './passwords';

const DAY_MS = 86_400_000;
/** Longest a registration may run before it is renewed: a forgotten partner should not keep access for ever. */
const MAX_REGISTRATION_DAYS = 3 * 366;
/** Longest the old secret may keep working after a rotation. */
export const MAX_ROTATION_OVERLAP_SECONDS = 30 * 86_400;
export const DEFAULT_ROTATION_OVERLAP_SECONDS = 86_400;

/**
 * Where a person's approval sends a client's one-time code: an absolute https address without a fragment, or
 * http on this machine (a development portal). Compared exactly when a person approves.
 */
const redirectUri = z.string().max(2048, { message: 'must be at most 2048 characters' }).refine((value) => {
  try {
    const url = new URL(value);
    const local = url.hostname === 'localhost' || url.hostname === '127.0.0.1' || url.hostname === '[::1]';
    return url.hash === '' && url.username === '' && url.password === '' && (url.protocol === 'https:' || (url.protocol === 'http:' && local));
  } catch {
    return false;
  }
}, { message: 'must be an absolute https:// address (http:// only on localhost) without a fragment or credentials' });

/** Registration input, with messages a person can act on. */
const registration = z
  .object({
    clientId: accountInput.name,
    organisation: accountInput.displayName,
    contact: input.text(3, 200),
    purpose: input.text(3, 500),
    scopes: accountInput.scopes,
    expiresAt: z
      .date({ message: 'must be a date-time' })
      .refine((date) => date.getTime() > Date.now(), { message: 'must be in the future' })
      .refine((date) => date.getTime() <= Date.now() + MAX_REGISTRATION_DAYS * DAY_MS, {
        message: `must be within ${MAX_REGISTRATION_DAYS} days; register again when it nears its end`,
      }),
    requestsPerMinute: input.int(1, 100_000),
    requestsPerDay: input.int(1, 100_000_000),
    redirectUris: z.array(redirectUri).max(10, { message: 'register at most 10 redirect URIs' }).nullish()
      .transform((uris) => [...new Set(uris ?? [])]),
  })
  .superRefine((value, issues) => {
    if (value.requestsPerDay < value.requestsPerMinute) {
      issues.addIssue({ code: 'custom', path: ['requestsPerDay'], message: 'must be at least requestsPerMinute' });
    }
  });

export type PartnerClientRegistration = z.input<typeof registration>;

export type RegistrationOutcome =
  /** The secret exists only here: the database keeps its hash, so it is shown once. */
  | { readonly status: 'registered'; readonly client: PartnerClientEntity; readonly secret: string }
  | { readonly status: 'exists'; readonly client: PartnerClientEntity };

/** A client's standing as a token is issued or a request served. */
export type PartnerClientStatus = 'ACTIVE' | 'SUSPENDED' | 'EXPIRED';

export function statusOf(client: Pick<PartnerClientEntity, 'suspendedAt' | 'expiresAt'>, now = Date.now()): PartnerClientStatus {
  if (client.suspendedAt) return 'SUSPENDED';
  return client.expiresAt.getTime() <= now ? 'EXPIRED' : 'ACTIVE';
}

/**
 * Partner clients as the platform runs them: registered by a platform admin (or the operator's command), their
 * secret shown once and kept as a hash, rotated with an overlap in which the previous secret still works,
 * suspended and reactivated. Each change is one statement on one row.
 */
export class PartnerClientService {
  constructor(private readonly clients: PartnerClientRepository) {}

  /** A new client with a generated secret; a client of that id already registered is answered as `exists`, unchanged. */
  async register(request: PartnerClientRegistration): Promise<RegistrationOutcome> {
    const valid = parseInput(registration, request, 'input');
    const secret = newSecret();
    const client = Object.assign(new PartnerClientEntity(), {
      id: randomUUID(),
      clientId: valid.clientId,
      name: valid.organisation,
      contact: valid.contact,
      purpose: valid.purpose,
      scopes: valid.scopes,
      expiresAt: valid.expiresAt,
      requestsPerMinute: valid.requestsPerMinute,
      requestsPerDay: valid.requestsPerDay,
      redirectUris: valid.redirectUris,
      secretHash: await hashPassword(secret),
      previousSecretHash: null,
      previousSecretValidUntil: null,
      secretRotatedAt: null,
      suspendedAt: null,
      suspensionReason: null,
    });
    if ((await this.clients.insertMissing([client])) === 1) return { status: 'registered', client: (await this.clients.findByClientId(client.clientId))!, secret };
    return { status: 'exists', client: (await this.clients.findByClientId(client.clientId))! };
  }

  /** For the API: a second registration of one id is a conflict, not a silent success. */
  async registerNew(request: PartnerClientRegistration): Promise<{ client: PartnerClientEntity; secret: string }> {
    const outcome = await this.register(request);
    if (outcome.status === 'exists') throw conflict(`A partner client ${outcome.client.clientId} is already registered; choose another client id, or rotate its secret.`);
    return outcome;
  }

  /**
   * A new secret, shown once; the previous one keeps working for `overlapSeconds` (0: stops at once), so the
   * partner can deploy the new one without an outage. The client itself may rotate, and so may a platform admin.
   */
  async rotateSecret(viewer: Viewer, clientId: string, overlapSeconds: number): Promise<{ client: PartnerClientEntity; secret: string }> {
    const overlap = parseInput(input.int(0, MAX_ROTATION_OVERLAP_SECONDS), overlapSeconds, 'previousSecretValidForSeconds');
    if (!isPlatformAdmin(viewer) && clientIdOf(viewer) !== clientId) {
      throw forbidden('Only the partner client itself (with its own token) or a platform admin may rotate its secret.');
    }
    const current = await this.require(clientId);
    const secret = newSecret();
    const now = new Date();
    const client = await this.clients.update(clientId, {
      secretHash: await hashPassword(secret),
      previousSecretHash: overlap > 0 ? current.secretHash : null,
      previousSecretValidUntil: overlap > 0 ? new Date(now.getTime() + overlap * 1000) : null,
      secretRotatedAt: now,
    });
    return { client: client!, secret };
  }

  async suspend(clientId: string, reason: string): Promise<PartnerClientEntity> {
    const why = parseInput(input.text(3, 500), reason, 'reason');
    await this.require(clientId);
    return (await this.clients.update(clientId, { suspendedAt: new Date(), suspensionReason: why }))!;
  }

  async reactivate(clientId: string): Promise<PartnerClientEntity> {
    await this.require(clientId);
    return (await this.clients.update(clientId, { suspendedAt: null, suspensionReason: null }))!;
  }

  list(): Promise<PartnerClientEntity[]> {
    return this.clients.findAll();
  }

  /** Platform admins and every province's admins (who grant it their scopes) see a client, and so does the client itself. */
  async find(viewer: Viewer, clientId: string): Promise<PartnerClientEntity | null> {
    const allowed = isPlatformAdmin(viewer) || viewer.roles.includes('province_admin') || clientIdOf(viewer) === clientId;
    if (!allowed) throw forbidden('Only platform admins, province admins and the client itself may see a partner client.');
    return this.clients.findByClientId(clientId);
  }

  /** Every client's standing, for the services that admit client tokens (ClientStatusDirectory). */
  async standings(): Promise<ClientStanding[]> {
    return (await this.clients.findAll()).map((client) => ({ clientId: client.clientId, suspended: client.suspendedAt !== null, expiresAt: client.expiresAt }));
  }

  /**
   * The client whose current secret, or previous secret within its overlap, is `secret`; null otherwise. An
   * unknown client costs one hash like a known one, so timing does not tell whether it exists; only a client in
   * a rotation's overlap costs a second.
   */
  async authenticate(clientId: string, secret: string): Promise<PartnerClientEntity | null> {
    const client = await this.clients.findByClientId(clientId);
    if (await verifyPassword(secret, client?.secretHash ?? (await dummyHash()))) return client;
    const previous = client?.previousSecretValidUntil && client.previousSecretValidUntil.getTime() > Date.now() ? client.previousSecretHash : null;
    return previous && (await verifyPassword(secret, previous)) ? client : null;
  }

  private async require(clientId: string): Promise<PartnerClientEntity> {
    const client = await this.clients.findByClientId(clientId);
    if (!client) throw notFound(`No partner client ${clientId} is registered.`, { argument: 'clientId' });
    return client;
  }
}

const newSecret = () => randomBytes(24).toString('base64url');
const isPlatformAdmin = (viewer: Viewer) => viewer.kind === 'user' && viewer.roles.includes('platform_admin');
