import { DomainError } from '../errors/DomainError';
import { ErrorCode } from '../errors/ErrorCode';
import type { Logger } from '../logging/createLogger';
import { channelClientOf, type Viewer } from './claims';

/** What a service needs to know of a partner client to admit its token: whether the platform still lets it in. */
export interface ClientStanding {
  readonly clientId: string;
  readonly suspended: boolean;
  readonly expiresAt: Date;
}

/** What the platform tells the services about partner clients. */
export interface ClientStandings {
  readonly clients: readonly ClientStanding[];
  /**
   * Consents their people revoked lately: a token a client got acting for a person names its consent (`cid`),
   * and is refused once that consent is here. Only revocations younger than the longest delegated token's
   * lifetime are listed; a token issued before an older one has expired anyway.
   */
  readonly revokedConsents: readonly string[];
}

export interface ClientStatusDirectoryOptions {
  /** Every registered client's standing, from the platform (its database there, its service answer elsewhere). */
  readonly load: () => Promise<ClientStandings>;
  /** A list older than this is fetched again before it is used (`CLIENT_STATUS_MAX_AGE_SECONDS`). */
  readonly maxAgeMs: number;
  /**
   * While the platform cannot be asked, the last list still answers until it is this old; past it, client
   * tokens are refused (SERVICE_UNAVAILABLE) rather than admitted on old news (`CLIENT_STATUS_MAX_STALE_SECONDS`).
   */
  readonly maxStaleMs: number;
  readonly logger?: Logger;
  readonly now?: () => number;
}

interface Snapshot {
  readonly loadedAt: number;
  readonly byId: ReadonlyMap<string, ClientStanding>;
  readonly revokedConsents: ReadonlySet<string>;
}

/**
 * Whether a partner client's token is still good, as the platform says: a
 * token outlives a suspension by up to its lifetime, so every service asks
 * this before it serves a client. The list is small (one row per registered
 * client) and held whole, fetched again once it is `maxAgeMs` old (concurrent
 * requests share one fetch): a suspension reaches every service within
 * `maxAgeMs` plus one fetch. Expiry needs no news: each standing carries its
 * date, and the platform never issues a token that outlives its client.
 */
export class ClientStatusDirectory {
  private snapshot: Snapshot | null = null;
  private loading: Promise<Snapshot> | null = null;
  private readonly now: () => number;

  constructor(private readonly options: ClientStatusDirectoryOptions) {
    this.now = options.now ?? Date.now;
  }

  /**
   * Refuses a client token whose client is unknown, suspended or expired, and a token a client holds for a person
   * when the client is refused or the person revoked the consent; people and anonymous callers pass.
   */
  async admit(viewer: Viewer | null): Promise<void> {
    const clientId = channelClientOf(viewer);
    if (clientId === null) return;
    // A client the list does not know yet was registered since it was fetched: only the platform signs tokens, so
    // asking again for one is never a stranger's doing.
    const standing = await this.freshStanding(clientId);
    const refusal = refusalOf(clientId, standing, this.now());
    if (refusal) throw new DomainError(ErrorCode.UNAUTHENTICATED, refusal);
    const consentId = viewer?.delegation?.consentId;
    if (consentId !== undefined && (await this.current()).revokedConsents.has(consentId)) {
      throw new DomainError(
        ErrorCode.UNAUTHENTICATED,
        `The person revoked their consent for partner client ${clientId} to act for them; the client asks them to approve it again.`,
      );
    }
  }

  /** The client's standing, or undefined when the platform has no such client. */
  async standing(clientId: string): Promise<ClientStanding | undefined> {
    return (await this.current()).byId.get(clientId);
  }

  /**
   * The same, asking the platform again when the list held does not know the client: an admin granting a
   * client registered a moment ago must not be told it does not exist, nor its first token refused.
   */
  async freshStanding(clientId: string): Promise<ClientStanding | undefined> {
    const held = await this.standing(clientId);
    if (held) return held;
    this.invalidate();
    return this.standing(clientId);
  }

  /** Forgets the list, so the next question fetches it (after this service changed a client itself). */
  invalidate(): void {
    this.snapshot = null;
  }

  private async current(): Promise<Snapshot> {
    const held = this.snapshot;
    const age = held ? this.now() - held.loadedAt : Infinity;
    if (held && age < this.options.maxAgeMs) return held;
    try {
      return await this.refresh();
    } catch (error) {
      if (held && age <= this.options.maxStaleMs) {
        this.options.logger?.warn({ err: error, ageMs: age }, 'partner client standings could not be refreshed; using the last list');
        return held;
      }
      this.options.logger?.error({ err: error }, 'partner client standings unavailable; refusing client tokens');
      throw new DomainError(
        ErrorCode.SERVICE_UNAVAILABLE,
        'Partner client tokens cannot be checked right now (the platform did not answer); retry in a minute.',
      );
    }
  }

  private refresh(): Promise<Snapshot> {
    this.loading ??= this.options
      .load()
      .then((standings) => {
        const snapshot = {
          loadedAt: this.now(),
          byId: new Map(standings.clients.map((standing) => [standing.clientId, standing])),
          revokedConsents: new Set(standings.revokedConsents),
        };
        this.snapshot = snapshot;
        return snapshot;
      })
      .finally(() => {
        this.loading = null;
      });
    return this.loading;
  }
}

/** Why a client is refused, or null when it may call. */
export function refusalOf(clientId: string, standing: ClientStanding | undefined, now: number): string | null {
  if (!standing) return `Partner client ${clientId} is not registered with the platform; its tokens are refused.`;
  if (standing.suspended) return `Partner client ${clientId} is suspended by the platform; its tokens are refused until a platform admin reactivates it.`;
  if (standing.expiresAt.getTime() <= now) {
    return `Partner client ${clientId}'s registration expired at ${standing.expiresAt.toISOString()}; the platform's operator renews it (there is no API for renewal yet).`;
  }
  return null;
}
