import type { BreakingChange } from 'graphql';
import { PROVINCES, isProvinceKey } from '../../shared/src';
import type { CompositionError } from './composeSupergraph';
import { usagesIn, type Coordinate, type NamedSdl } from './subgraphUsages';

/** One problem of a candidate, told in the subgraphs' terms: what changed, who uses it and why, what to do. */
export interface Finding {
  /** What is wrong, naming the field or type (`ChongqingTalentCard.tier: Chongqing no longer serves it…`). */
  readonly problem: string;
  /** One sentence per use another subgraph makes of it. */
  readonly usages: readonly string[];
  readonly advice: string | undefined;
}

/** How a subgraph is named in a sentence: `Sichuan`, `the platform`. */
export function subgraphLabel(name: string): string {
  if (isProvinceKey(name)) return PROVINCES[name].nameEn;
  return name === 'platform' ? 'the platform' : `the ${name} subgraph`;
}

const capitalised = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);

/** The first field (`"Type.field"`) a composition message names, else undefined. */
function coordinateInMessage(message: string): Coordinate | undefined {
  const match = /"([A-Za-z_]\w*)\.([A-Za-z_]\w*)"/.exec(message);
  return match ? { type: match[1]!, field: match[2]! } : undefined;
}

/** The coordinate a graphql-js breaking change is about: `Type.field`, or a type (`X was removed.`, `… from enum type X.`). */
function coordinateInChange(description: string): Coordinate | undefined {
  const field = /\b([A-Z]\w*)\.([A-Za-z_]\w*)\b/.exec(description);
  if (field) return { type: field[1]!, field: field[2]! };
  const type = /^([A-Z]\w*) /.exec(description) ?? /enum type ([A-Z]\w*)/.exec(description);
  return type ? { type: type[1]! } : undefined;
}

const written = (coordinate: Coordinate) => (coordinate.field ? `${coordinate.type}.${coordinate.field}` : coordinate.type);

/**
 * What a composition code says of a field, in a clause; undefined: only the raw message says it. No owner is
 * named: a template edit changes both provinces' types, so the subgraph at fault is not always the candidate.
 */
function compositionProblem(code: string): string | undefined {
  switch (code) {
    case 'EXTERNAL_MISSING_ON_BASE':
      return 'no subgraph serves it any more, and others count on it';
    case 'EXTERNAL_TYPE_MISMATCH':
    case 'FIELD_TYPE_MISMATCH':
    case 'FIELD_ARGUMENT_TYPE_MISMATCH':
      return 'its type is no longer the one other subgraphs declare';
    case 'INVALID_FIELD_SHARING':
      return 'more than one subgraph resolves it, and it is not @shareable';
    case 'INTERFACE_FIELD_NO_IMPLEM':
      return 'an interface declares it, and the type no longer has it';
    default:
      return undefined;
  }
}

function findingFor(
  coordinate: Coordinate | undefined, problem: string, searched: readonly NamedSdl[], candidate: string, advice: (used: boolean) => string | undefined,
): Finding {
  const usages = coordinate
    ? searched.flatMap((subgraph) => usagesIn(subgraph, coordinate, capitalised(subgraphLabel(subgraph.name)), { sharing: subgraph.name !== candidate }))
    : [];
  return { problem, usages, advice: advice(usages.length > 0) };
}

/**
 * Each composition error of the candidate's SDL, with the uses of the field it names: in the subgraphs the
 * message names (`… listed (subgraphs "platform" and "sichuan")`), the candidate included, since one template
 * renders both provinces' types; else in every other subgraph.
 */
export function explainCompositionErrors(candidate: NamedSdl, errors: readonly CompositionError[], others: readonly NamedSdl[]): Finding[] {
  const everyone = [candidate, ...others];
  return errors.map((error) => {
    const coordinate = coordinateInMessage(error.message);
    const clause = coordinate && compositionProblem(error.code);
    const named = new Set([...error.message.matchAll(/"([a-z][a-z0-9_]*)"/g)].map((match) => match[1]));
    const searched = everyone.some((subgraph) => named.has(subgraph.name)) ? everyone.filter((subgraph) => named.has(subgraph.name)) : others;
    return findingFor(coordinate, clause ? `${written(coordinate)}: ${clause} (${error.code})` : `[${error.code}] ${error.message}`, searched, candidate.name, (used) =>
      used ? 'Keep it as those subgraphs know it, or change them first and release them before this change.' : undefined);
  });
}

/** Each breaking change of the API against the committed supergraph, with the other subgraphs' uses of what changed. */
export function explainBreakingChanges(changes: readonly BreakingChange[], others: readonly NamedSdl[]): Finding[] {
  return changes.map((change) =>
    findingFor(coordinateInChange(change.description), `${change.description.replace(/\.$/, '')} (${change.type})`, others, '', (used) =>
      used
        ? 'Those subgraphs change first; and partners\' queries that ask for it fail once the gateways serve the new supergraph.'
        : 'No other subgraph uses it, but partners\' and the dashboard\'s queries may: they fail once the gateways serve the new supergraph. '
          + 'Mark it @deprecated(reason: "…") now and remove it in a later release, once they have moved.'),
  );
}

const sentence = (text: string) => (/[.!?]$/.test(text) ? text : `${text}.`);

/** The findings as indented lines, a blank line between two. */
export function formatFindings(findings: readonly Finding[]): string {
  return findings.map((finding) => [
    `  ${sentence(finding.problem)}`,
    ...finding.usages.map((usage) => `    - ${sentence(usage)}`),
    ...(finding.advice ? [`    ${finding.advice}`] : []),
  ].join('\n')).join('\n\n');
}

/** `1 problem`, `2 problems`. */
export const counted = (count: number, noun: string) => `${count} ${noun}${count === 1 ? '' : 's'}`;
