import { defaultFieldResolver, getNamedType, isObjectType, type FieldNode, type GraphQLFieldResolver, type GraphQLResolveInfo, type GraphQLSchema } from 'graphql';
// graphql-js's own field collection (fragments, type conditions, @skip and @include), as its executor runs it.
import { collectSubfields } from 'graphql/execution/collectFields';
import { encodeGlobalId, type ProvinceDefinition } from '../../../../shared/src';
import type { AccessRecorder } from './AccessRecorder';

/** Where a request's recorder is found: every province context carries one. */
interface Recording {
  readonly accessLog?: AccessRecorder;
}

/** The id each private type is logged by, from the object its fields are resolved on. */
function privateTypes(province: ProvinceDefinition): Record<string, (record: Record<string, unknown>) => string> {
  const P = province.typePrefix;
  return {
    [`${P}Booking`]: (booking) => encodeGlobalId(province, 'booking', String(booking['id'])),
    [`${P}TalentCard`]: (card) => encodeGlobalId(province, 'talentcard', String(card['id'])),
    // A check names the number asked about, whether or not a card has it.
    [`${P}CardVerification`]: (check) => String(check['cardNumber']),
    [`${P}CodeVerification`]: (check) => String(check['cardNumber']),
    AuditEntry: (entry) => String(entry['id']),
  };
}

/** The root field a resolution started from (`sichuan`, `_entities`, `confirmSichuanBooking`…). */
function rootField(info: GraphQLResolveInfo): string {
  let path = info.path;
  while (path.prev) path = path.prev;
  return String(path.key);
}

/** Arguments that name records (`id`, `bookingId`, `clientId`…), and the global id of the record a write answered. */
function writtenIds(args: Record<string, unknown>, result: unknown, globalIdOf: ((id: string) => string) | undefined): string[] {
  const ids = Object.entries(args)
    .filter(([name, value]) => /(^id|Id)$/.test(name) && typeof value === 'string')
    .map(([, value]) => value as string);
  const answered = typeof result === 'object' && result !== null ? (result as Record<string, unknown>)['id'] : undefined;
  return [...new Set([...ids, ...(typeof answered === 'string' && globalIdOf ? [globalIdOf(answered)] : [])])];
}

const afterwards = (value: unknown, then: () => void): unknown => {
  if (value instanceof Promise) return value.then((resolved: unknown) => (then(), resolved));
  then();
  return value;
};

/**
 * Puts the access log under the schema: any field of a private type that answers records that object as read
 * (so no query can read one without it being logged, whichever field it asks), any mutation that succeeds records
 * a write, and public instruments and labs whose fields are asked are counted, not logged. Wraps the resolvers the
 * authorization directives guard, so only what was answered is recorded.
 */
export function recordAccess(schema: GraphQLSchema, province: ProvinceDefinition): GraphQLSchema {
  const P = province.typePrefix;
  const wrap = (typeName: string, around: (resolve: GraphQLFieldResolver<unknown, Recording>) => GraphQLFieldResolver<unknown, Recording>) => {
    const type = schema.getType(typeName);
    if (!isObjectType(type)) return;
    for (const field of Object.values(type.getFields())) field.resolve = around((field.resolve as GraphQLFieldResolver<unknown, Recording>) ?? defaultFieldResolver);
  };
  for (const [typeName, idOf] of Object.entries(privateTypes(province))) {
    wrap(typeName, (resolve) => (source, args, context, info) =>
      afterwards(resolve(source, args, context, info), () => context.accessLog?.read(source as object, typeName, idOf(source as Record<string, unknown>), rootField(info))));
  }
  for (const typeName of [`${P}Instrument`, `${P}Lab`]) countCatalogueReads(schema, typeName);
  const kinds = { Instrument: 'instrument', Lab: 'lab', Booking: 'booking', TalentCard: 'talentcard' } as const;
  const globalIds = new Map(Object.entries(kinds).map(([suffix, kind]) => [`${P}${suffix}`, (id: string) => encodeGlobalId(province, kind, id)]));
  const mutation = schema.getMutationType();
  for (const field of Object.values(mutation?.getFields() ?? {})) {
    const resolve = (field.resolve as GraphQLFieldResolver<unknown, Recording>) ?? defaultFieldResolver;
    const entityType = getNamedType(field.type).name;
    field.resolve = (source, args, context, info) => {
      const value = resolve(source, args, context, info);
      const record = (result: unknown) => context.accessLog?.wrote(info.fieldName, entityType, writtenIds(args as Record<string, unknown>, result, globalIds.get(entityType)));
      return value instanceof Promise ? value.then((result: unknown) => (record(result), result)) : (record(value), value);
    };
  }
  return schema;
}

/**
 * Counts each object of a public catalogue type a request asks a field of (`__typename` is no read), once, where
 * graphql-js completes the object: its `isTypeOf`, called once per object before its fields, where a wrapper around
 * every field cost a call per field of every instrument of a page. Whether the object's selection asks a field is
 * worked out once per request and selection (the field nodes graphql-js hands every object of a list).
 */
function countCatalogueReads(schema: GraphQLSchema, typeName: string): void {
  const type = schema.getType(typeName);
  if (!isObjectType(type)) return;
  const readsFields = new WeakMap<readonly FieldNode[], boolean>();
  const isTypeOf = type.isTypeOf;
  type.isTypeOf = (source: unknown, context: Recording, info: GraphQLResolveInfo) => {
    let reads = readsFields.get(info.fieldNodes);
    if (reads === undefined) {
      const fields = collectSubfields(info.schema, info.fragments, info.variableValues, type, info.fieldNodes);
      reads = [...fields.values()].some(([field]) => field!.name.value !== '__typename');
      readsFields.set(info.fieldNodes, reads);
    }
    if (reads) context.accessLog?.catalogueRead(source as object);
    return isTypeOf ? isTypeOf(source, context, info) : true;
  };
}
