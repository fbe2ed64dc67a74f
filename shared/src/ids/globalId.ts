import { PROVINCES, provinceByIdPrefix, type ProvinceDefinition } from '../provinces';
import { badUserInput } from '../errors/DomainError';

/**
 * Global ids name their owner: `sc:instrument:<uuid>`, `cq:lab:<uuid>`. The
 * prefix is what lets the platform route a bare id to the province that owns
 * it without asking either database.
 */
export const ENTITY_KINDS = ['instrument', 'lab', 'talentcard', 'booking', 'offering', 'servicerequest', 'charge', 'voucher'] as const;
export type EntityKind = (typeof ENTITY_KINDS)[number];

export interface GlobalId {
  readonly province: ProvinceDefinition;
  readonly kind: EntityKind;
  /** The owner's primary key (a UUID). */
  readonly localId: string;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Platform user ids and every owner's primary keys are UUIDs. */
export const isUuid = (value: string): boolean => UUID.test(value);
const MAX_ID_LENGTH = 100;

export function encodeGlobalId(province: ProvinceDefinition, kind: EntityKind, localId: string): string {
  return `${province.idPrefix}:${kind}:${localId}`;
}

/** Parses an id, or explains in the error what a valid one looks like. */
export function decodeGlobalId(id: string, expectedKind?: EntityKind): GlobalId {
  const example = `${PROVINCES.sichuan.idPrefix}:${expectedKind ?? 'instrument'}:<uuid>`;
  // Entity representations arrive as raw JSON: an id may be anything.
  if (typeof id !== 'string') throw badUserInput(`An id must be a string such as "${example}".`);
  if (id.length > MAX_ID_LENGTH) {
    throw badUserInput(`The id is too long to be valid (over ${MAX_ID_LENGTH} characters); ids look like "${example}".`, { id: id.slice(0, 40) });
  }
  const [prefix, kind, localId, ...rest] = id.split(':');
  const province = prefix === undefined ? undefined : provinceByIdPrefix(prefix);
  if (!province || !kind || !localId || rest.length > 0) {
    throw badUserInput(`"${id}" is not a valid id: expected "<province>:<kind>:<uuid>" such as "${example}", with province sc (Sichuan) or cq (Chongqing).`, { id });
  }
  if (!(ENTITY_KINDS as readonly string[]).includes(kind)) {
    throw badUserInput(`"${id}" names an unknown kind "${kind}"; kinds are ${ENTITY_KINDS.join(', ')}, as in "${example}".`, { id });
  }
  if (expectedKind && kind !== expectedKind) {
    throw badUserInput(`"${id}" is ${withArticle(kind)} id, but ${withArticle(expectedKind)} id is expected here (such as "${example}").`, { id });
  }
  if (!UUID.test(localId)) {
    throw badUserInput(`"${id}" is not a valid id: the part after "${prefix}:${kind}:" must be a UUID, as in "${example}".`, { id });
  }
  return { province, kind: kind as EntityKind, localId: localId.toLowerCase() };
}

/**
 * Decodes an id that must belong to `owner`, e.g. an argument of
 * `Query.sichuan.instrument`. A partner's id is refused with a message that
 * says where to ask instead.
 */
export function decodeOwnGlobalId(id: string, kind: EntityKind, owner: ProvinceDefinition): GlobalId {
  const decoded = decodeGlobalId(id, kind);
  if (decoded.province.key !== owner.key) {
    throw badUserInput(
      `"${id}" belongs to ${decoded.province.nameEn}, not ${owner.nameEn}: query it under "${decoded.province.key}" or through the top-level ${kind === 'talentcard' ? 'talentCard' : kind}(id:) lookup.`,
      { id, owner: decoded.province.code },
    );
  }
  return decoded;
}

const withArticle = (word: string) => `${/^[aeiou]/.test(word) ? 'an' : 'a'} ${word}`;
