import { badUserInput } from '../errors/DomainError';
import { isUuid } from '../ids/globalId';

/**
 * A list's keyset position as an opaque cursor, and back. Every paginated list
 * writes its position the same way (base64url of a JSON array of strings);
 * each list says which parts it writes and which it accepts back.
 */
export interface CursorCodec<TPosition> {
  encode(position: TPosition): string;
  /** null without a cursor; BAD_USER_INPUT (argument `after`) for anything this list did not hand out. */
  decode(after: string | null | undefined): TPosition | null;
}

/**
 * `read` returns null when the parts are not a position of this list: the
 * client then hears which cursors it may send, never what was wrong inside.
 */
export function cursorCodec<TPosition>(
  write: (position: TPosition) => readonly string[],
  read: (parts: readonly string[]) => TPosition | null,
): CursorCodec<TPosition> {
  return {
    encode: (position) => Buffer.from(JSON.stringify(write(position))).toString('base64url'),
    decode: (after) => {
      if (after == null) return null;
      const parts = parseParts(after);
      const position = parts && read(parts);
      if (position == null) {
        throw badUserInput('after must be a cursor returned by this list (pageInfo.endCursor or an edge cursor).', { argument: 'after' });
      }
      return position;
    },
  };
}

function parseParts(after: string): string[] | null {
  try {
    const value: unknown = JSON.parse(Buffer.from(after, 'base64url').toString('utf8'));
    return Array.isArray(value) && value.every((part) => typeof part === 'string') ? value : null;
  } catch {
    return null;
  }
}

/** The largest bigint PostgreSQL stores: an id beyond it was never handed out. */
const MAX_BIGINT = 9_223_372_036_854_775_807n;

/** Position in a newest-first log keyed by a bigint identity (kept as text): the audit log, the access log. */
export const bigintIdCursor: CursorCodec<string> = cursorCodec<string>(
  (id) => [id],
  ([id, ...rest]) => (id !== undefined && /^\d{1,19}$/.test(id) && BigInt(id) <= MAX_BIGINT && rest.length === 0 ? id : null),
);
/** The cursor of a list ordered by an instant, then by a UUID id: `field` names the instant (e.g. `startsAt`). */
export function instantIdCursor<K extends string>(field: K): CursorCodec<Record<K, Date> & { id: string }> {
  return cursorCodec<Record<K, Date> & { id: string }>(
    (position) => [position[field].toISOString(), position.id],
    ([instant, id, ...rest]) =>
      instant !== undefined && id !== undefined && isUuid(id) && !Number.isNaN(Date.parse(instant)) && rest.length === 0
        ? ({ [field]: new Date(instant), id } as Record<K, Date> & { id: string })
        : null,
  );
}
