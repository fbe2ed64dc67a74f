import { channelClientOf, type Viewer } from '../../../../shared/src';
import type { AccessKind } from './AccessLogEntryEntity';
import type { NewAccessEntry } from './AccessLogRepository';

interface Group {
  readonly kind: AccessKind;
  readonly operation: string;
  readonly entityType: string;
  readonly ids: Set<string>;
}

/**
 * What one request read of the private data and what it wrote, gathered while it runs and written once, at its
 * end (accessLogPlugin): one line per kind, root field and type, naming every record it touched. Reads of the
 * public catalogue are only counted.
 */
export class AccessRecorder {
  private readonly groups = new Map<string, Group>();
  /** Each object is counted once, however many of its fields are read. */
  private readonly seen = new WeakSet<object>();
  private catalogueRecords = 0;

  constructor(
    private readonly viewer: Viewer | null,
    private readonly requestId: string,
  ) {}

  read(record: object, entityType: string, id: string, operation: string): void {
    if (this.seen.has(record)) return;
    this.seen.add(record);
    this.group('read', operation, entityType).ids.add(id);
  }

  wrote(operation: string, entityType: string, ids: readonly string[]): void {
    const group = this.group('write', operation, entityType);
    for (const id of ids) group.ids.add(id);
  }

  catalogueRead(record: object): void {
    if (this.seen.has(record)) return;
    this.seen.add(record);
    this.catalogueRecords += 1;
  }

  /** Public records this request read (instruments, labs). */
  get catalogueReads(): number {
    return this.catalogueRecords;
  }

  /** Who reads the catalogue, as counted: a client by its id (acting for a person too), else `person` or `anonymous`. */
  get reader(): string {
    return channelClientOf(this.viewer) ?? (this.viewer ? 'person' : 'anonymous');
  }

  entries(operationName: string | null): NewAccessEntry[] {
    const { viewer } = this;
    return [...this.groups.values()].map((group) => ({
      requestId: this.requestId,
      kind: group.kind,
      actorKind: viewer ? viewer.kind : 'anonymous',
      actorId: viewer?.subject ?? null,
      actorName: viewer?.displayName ?? null,
      // The client the request came through: its own token, or one it holds for the person named as the actor.
      clientId: channelClientOf(viewer),
      operation: group.operation,
      operationName: operationName ? operationName.slice(0, 200) : null,
      entityType: group.entityType,
      entityIds: [...group.ids],
    }));
  }

  private group(kind: AccessKind, operation: string, entityType: string): Group {
    const key = `${kind}\u0000${operation}\u0000${entityType}`;
    let group = this.groups.get(key);
    if (!group) {
      group = { kind, operation, entityType, ids: new Set() };
      this.groups.set(key, group);
    }
    return group;
  }
}
