import { randomBytes, randomUUID } from 'node:crypto';
import { z } from 'zod';
import {
  badUserInput, checkPageSize, cursorCodec, forbidden, input, isProvinceAdmin, isUuid, notFound, parseInput, toConnection,
  type Connection, type ProvinceDefinition, type Viewer,
} from '../../../../shared/src';
import type { ClientEntitlement } from '../clientGrants/ClientGrantService';
import type { ProvinceAdmin } from '../domain/provinceAdmin';
import type { UnitOfWork } from '../persistence/UnitOfWork';
import { checkedAddresses, webhookUrlProblem, type Resolve, type WebhookAddressPolicy } from './delivery/webhookAddresses';
import type { WebhookSecretBox } from './delivery/webhookSecretKeys';
import { EVENT_TYPE_NAMES, isEventType, readScopeOf, type EventType } from './eventTypes';
import type { DeliveryRow, DeliveryState, SecretColumns, WebhookRepository } from './WebhookRepository';
import { WebhookSubscriptionEntity } from './WebhookSubscriptionEntity';

/** The repositories a subscription change works with, in its transaction. */
export interface WebhookTransaction {
  readonly webhooks: WebhookRepository;
}

export interface WebhookSubscriptionInput {
  clientId: string;
  url: string;
  eventTypes: readonly string[];
  description?: string | null;
}

export interface WebhookSubscriptionUpdate {
  url?: string | null;
  eventTypes?: readonly string[] | null;
  description?: string | null;
  active?: boolean | null;
}

/** A subscription with its secret: answered once, when it is made or its secret rotated. */
export interface SubscriptionWithSecret {
  readonly subscription: WebhookSubscriptionEntity;
  readonly secret: string;
}

const clientIdSchema = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{1,99}$/, { message: 'must be a partner client id (2–100 letters, digits, . _ -)' });
/** Longest event type name: longer strings are no event type, and are not echoed back in full. */
const MAX_EVENT_TYPE_CHARS = Math.max(...EVENT_TYPE_NAMES.map((name) => name.length));
/** Unknown types named in a refusal: enough to fix the request, never an echo of an oversized one. */
const UNKNOWN_TYPES_SHOWN = 5;

const eventTypesSchema = z
  .array(z.string().max(MAX_EVENT_TYPE_CHARS, { message: `an event type has at most ${MAX_EVENT_TYPE_CHARS} characters; known: ${EVENT_TYPE_NAMES.join(', ')}` }))
  .min(1, { message: 'name at least one event type' })
  .max(EVENT_TYPE_NAMES.length, { message: `at most ${EVENT_TYPE_NAMES.length} event types` })
  .superRefine((types, context) => {
    const unknown = [...new Set(types.filter((type) => !isEventType(type)).map((type) => (type.length > MAX_EVENT_TYPE_CHARS ? `${type.slice(0, MAX_EVENT_TYPE_CHARS)}…` : type)))];
    if (unknown.length === 0) return;
    const shown = unknown.slice(0, UNKNOWN_TYPES_SHOWN).join(', ') + (unknown.length > UNKNOWN_TYPES_SHOWN ? ` and ${unknown.length - UNKNOWN_TYPES_SHOWN} more` : '');
    context.addIssue({ code: 'custom', message: `unknown event type(s) ${shown}; known: ${EVENT_TYPE_NAMES.join(', ')}` });
  })
  .transform((types) => [...new Set(types)]);

const deliveryCursor = cursorCodec<string>(
  (id) => [id],
  ([id, ...rest]) => (id !== undefined && /^\d{1,18}$/.test(id) && rest.length === 0 ? id : null),
);

/** How long the address check at subscription time may wait for DNS. */
const RESOLVE_TIMEOUT_MS = 3_000;

/**
 * Webhook subscriptions of partner clients in this province. The province decides who gets events
 * (its admins create subscriptions for a client, as they decide scopes); the client lists and
 * manages its own, sees its dead deliveries and replays them.
 */
export class WebhookService {
  constructor(
    private readonly province: ProvinceDefinition,
    private readonly webhooks: WebhookRepository,
    private readonly unitOfWork: UnitOfWork<WebhookTransaction>,
    private readonly policy: WebhookAddressPolicy,
    /** What this province grants the client now (ClientGrantService.entitlement). */
    private readonly entitlement: (clientId: string) => Promise<ClientEntitlement>,
    /** Seals signing secrets at rest (WEBHOOK_SECRET_KEYS). */
    private readonly secrets: WebhookSecretBox,
    private readonly resolve?: Resolve,
  ) {}

  async create(admin: ProvinceAdmin, raw: WebhookSubscriptionInput): Promise<SubscriptionWithSecret> {
    const parsed = parseInput(
      z.object({ clientId: clientIdSchema, url: z.string(), eventTypes: eventTypesSchema, description: input.optionalText(200) }),
      raw,
      'input',
    );
    await this.checkEntitled(parsed.clientId, parsed.eventTypes as EventType[], 'input.eventTypes');
    const url = await this.checkUrl(parsed.url, 'input.url');
    const secret = newSecret();
    const id = randomUUID();
    const subscription = Object.assign(new WebhookSubscriptionEntity(), {
      id, clientId: parsed.clientId, url, eventTypes: parsed.eventTypes, ...this.sealed(id, secret), description: parsed.description,
      active: true, createdBy: admin.subject,
    });
    await this.unitOfWork.run((tx) => tx.webhooks.insert(subscription));
    return { subscription: (await this.webhooks.findById(subscription.id))!, secret };
  }

  /** Every subscription (this province's admins, optionally one client's), or the calling client's own. */
  list(viewer: Viewer, clientId: string | null | undefined): Promise<WebhookSubscriptionEntity[]> {
    if (isProvinceAdmin(viewer, this.province.key)) return this.webhooks.findByClient(clientId ?? null);
    const own = this.ownClientId(viewer);
    if (clientId != null && clientId !== own) throw forbidden('A partner client sees only its own webhook subscriptions.');
    return this.webhooks.findByClient(own);
  }

  async update(viewer: Viewer, id: string, raw: WebhookSubscriptionUpdate): Promise<WebhookSubscriptionEntity> {
    const parsed = parseInput(
      z.object({ url: z.string().nullish(), eventTypes: eventTypesSchema.nullish(), description: z.string().nullish(), active: z.boolean().nullish() }),
      raw,
      'input',
    );
    const url = parsed.url == null ? undefined : await this.checkUrl(parsed.url, 'input.url');
    const description = parsed.description === undefined ? undefined : parseInput(input.optionalText(200), parsed.description, 'input.description');
    return this.unitOfWork.run(async (tx) => {
      const subscription = await this.lockManaged(tx.webhooks, viewer, id);
      if (parsed.eventTypes) await this.checkEntitled(subscription.clientId, parsed.eventTypes as EventType[], 'input.eventTypes');
      await tx.webhooks.update(id, {
        ...(url !== undefined ? { url } : {}),
        ...(parsed.eventTypes ? { eventTypes: parsed.eventTypes } : {}),
        ...(description !== undefined ? { description } : {}),
        ...(parsed.active != null ? { active: parsed.active } : {}),
      });
      return (await tx.webhooks.findById(id))!;
    });
  }

  async delete(viewer: Viewer, id: string): Promise<boolean> {
    return this.unitOfWork.run(async (tx) => {
      await this.lockManaged(tx.webhooks, viewer, id);
      await tx.webhooks.delete(id);
      return true;
    });
  }

  /** A new secret, answered once; deliveries signed from now on use it. */
  async rotateSecret(viewer: Viewer, id: string): Promise<SubscriptionWithSecret> {
    const secret = newSecret();
    const subscription = await this.unitOfWork.run(async (tx) => {
      await this.lockManaged(tx.webhooks, viewer, id);
      await tx.webhooks.update(id, this.sealed(id, secret));
      return (await tx.webhooks.findById(id))!;
    });
    return { subscription, secret };
  }

  /**
   * Seals the secrets still stored plain (rows from before sealing) or by an older key than the current one (after
   * a rotation of WEBHOOK_SECRET_KEYS). A secret whose key this process does not hold is left as it is and counted.
   */
  async sealStoredSecrets(): Promise<{ sealed: number; unopened: string[] }> {
    return this.unitOfWork.run(async (tx) => {
      const unopened: string[] = [];
      let sealed = 0;
      for (const row of await tx.webhooks.lockSecretsToSeal(this.secrets.currentKeyId)) {
        let secret: string;
        try {
          secret = this.secrets.openStored(row.id, row.secret);
        } catch {
          unopened.push(row.id);
          continue;
        }
        await tx.webhooks.update(row.id, this.sealed(row.id, secret));
        sealed += 1;
      }
      return { sealed, unopened };
    });
  }

  private sealed(subscriptionId: string, secret: string): SecretColumns {
    const { keyId, sealed } = this.secrets.seal(subscriptionId, secret);
    return { secret: null, secretKeyId: keyId, secretSealed: sealed };
  }

  /** Queues every event of the subscription's types since `from` again (dead ones too); answers how many. */
  async replay(viewer: Viewer, id: string, from: Date, now = new Date()): Promise<number> {
    if (from.getTime() > now.getTime()) throw badUserInput('from must not be in the future.', { argument: 'from' });
    return this.unitOfWork.run(async (tx) => {
      await this.lockManaged(tx.webhooks, viewer, id);
      return tx.webhooks.replay(id, from);
    });
  }

  /**
   * A client is sent only events it could read itself here: every type's read scope must be among the scopes this
   * province grants it (a client that lost the grant since is refused at delivery, DeliveryWorker).
   */
  private async checkEntitled(clientId: string, types: readonly EventType[], argument: string): Promise<void> {
    const entitlement = await this.entitlement(clientId);
    if ('refusal' in entitlement) throw forbidden(entitlement.refusal, { argument: 'input.clientId' });
    const missing = [...new Set(types.map((type) => readScopeOf(type, this.province.key)).filter((scope) => !entitlement.scopes.has(scope)))];
    if (missing.length > 0) {
      throw forbidden(
        `${this.province.nameEn} does not grant ${clientId} ${missing.join(', ')}, which reading ${types.filter((type) => missing.includes(readScopeOf(type, this.province.key))).join(', ')} needs: `
          + `grant it first (grant${this.province.typePrefix}ClientScopes) or subscribe to other event types.`,
        { argument, missingScopes: missing },
      );
    }
  }

  async deliveries(
    subscription: WebhookSubscriptionEntity,
    args: { state?: DeliveryState | null; first: number; after?: string | null },
  ): Promise<Connection<DeliveryRow>> {
    const first = checkPageSize(args.first);
    const { rows, hasNextPage } = await this.webhooks.findDeliveries(subscription.id, args.state ?? null, first, deliveryCursor.decode(args.after));
    return toConnection(rows, hasNextPage, (row) => deliveryCursor.encode(row.id));
  }

  /** Whether the viewer may manage this subscription: this province's admins, and the client it belongs to. */
  mayManage(viewer: Viewer, subscription: WebhookSubscriptionEntity): boolean {
    return isProvinceAdmin(viewer, this.province.key) || (viewer.kind === 'client' && clientIdOf(viewer) === subscription.clientId);
  }

  private async lockManaged(webhooks: WebhookRepository, viewer: Viewer, id: string): Promise<WebhookSubscriptionEntity> {
    const subscription = isUuid(id) ? await webhooks.lockForUpdate(id) : null;
    if (!subscription) throw notFound(`No ${this.province.nameEn} webhook subscription has the id ${id}.`, { argument: 'id' });
    if (!this.mayManage(viewer, subscription)) {
      throw forbidden(`Only the partner client it belongs to or a ${this.province.nameEn} admin may manage this webhook subscription.`);
    }
    return subscription;
  }

  private ownClientId(viewer: Viewer): string {
    if (viewer.kind !== 'client') {
      throw forbidden(`Webhook subscriptions belong to partner clients; sign in with the client's credentials (issueClientToken), or as a ${this.province.nameEn} admin.`);
    }
    return clientIdOf(viewer);
  }

  /** The URL's form, then (outside development) every address its host resolves to: no private or loopback receivers. */
  private async checkUrl(raw: string, path: string): Promise<string> {
    const url = raw.trim();
    const problem = webhookUrlProblem(url, this.policy);
    if (problem) throw badUserInput(`${path}: ${problem}.`, { fields: [{ path, message: problem }] });
    if (!this.policy.allowPrivateAddresses) {
      const host = new URL(url).hostname;
      try {
        await withTimeout(checkedAddresses(host, this.policy, this.resolve), RESOLVE_TIMEOUT_MS, `${host} did not resolve within ${RESOLVE_TIMEOUT_MS / 1000} s`);
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        throw badUserInput(`${path}: ${message}; a webhook must reach a public address.`, { fields: [{ path, message }] });
      }
    }
    return url;
  }
}

/** A partner client's id, from its token's subject (`client:<id>`). */
export function clientIdOf(viewer: Viewer): string {
  return viewer.subject.replace(/^client:/, '');
}

function newSecret(): string {
  return `whsec_${randomBytes(32).toString('base64url')}`;
}

function withTimeout<T>(promise: Promise<T>, ms: number, message: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    promise.finally(() => clearTimeout(timer)),
    new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(message)), ms);
    }),
  ]);
}
