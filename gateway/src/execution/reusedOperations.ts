import type { Operation, Schema } from '@apollo/federation-internals';
import type { DocumentNode, FragmentDefinitionNode, OperationDefinitionNode } from 'graphql';

type OperationFromDocument = (schema: Schema, document: DocumentNode, options?: { operationName?: string; validate?: boolean }) => Operation;

/** `@apollo/federation-internals`' module of operations; its index re-exports `operationFromDocument` from here, read on every call. */
// eslint-disable-next-line @typescript-eslint/no-require-imports
const operations = require('@apollo/federation-internals/dist/operations') as { operationFromDocument: OperationFromDocument };

/** `operationFromDocument` as the package loaded it, before `useReusedOperations` puts the reusing one in its place. */
const buildOperation = operations.operationFromDocument;

/** An operation built once, with what it was built from. */
interface Built {
  readonly schema: Schema;
  readonly fragments: readonly FragmentDefinitionNode[];
  readonly operation: Operation;
}

const builtByNode = new WeakMap<OperationDefinitionNode, Built>();

/**
 * `operationFromDocument`, answering again the operation it built before from the same definitions. `@apollo/gateway`
 * builds the client's operation anew for every request it executes (its query-plan executor, to shape the answer),
 * from the operation and fragment nodes of the parsed document Apollo Server keeps for the query's text: the same node
 * objects, request after request. Only that call is answered from the cache (a document of exactly one operation
 * and its fragments, not validated, no operation name): every other call, the query planner's included, builds.
 * The operation is read, never changed, by those who get it (the executor, the shaping, the introspection
 * handling), so requests can share it. Keyed by the nodes themselves: a document Apollo Server no longer keeps takes
 * its operations with it.
 */
export function reusedOperationFromDocument(schema: Schema, document: DocumentNode, options?: { operationName?: string; validate?: boolean }): Operation {
  const { definitions } = document;
  const first = definitions[0];
  if (options?.validate !== false || options.operationName !== undefined || first?.kind !== 'OperationDefinition') {
    return buildOperation(schema, document, options);
  }
  const built = builtByNode.get(first);
  // The cached fragments are fragment nodes: the same objects in the same places are the same document.
  if (built && built.schema === schema && sameFragments(built.fragments, definitions)) return built.operation;
  const fragments = definitions.slice(1);
  if (!fragments.every((definition): definition is FragmentDefinitionNode => definition.kind === 'FragmentDefinition')) {
    return buildOperation(schema, document, options);
  }
  const operation = buildOperation(schema, document, options);
  builtByNode.set(first, { schema, fragments, operation });
  return operation;
}

/** Whether `definitions` after the operation are exactly `fragments`, node for node. */
function sameFragments(fragments: readonly FragmentDefinitionNode[], definitions: DocumentNode['definitions']): boolean {
  return fragments.length === definitions.length - 1 && fragments.every((node, index) => node === definitions[index + 1]);
}

/**
 * Puts `reusedOperationFromDocument` where `@apollo/gateway`'s executor looks `operationFromDocument` up (the package
 * index reads the module's export on every call; the gateway offers no option for it). Throws when the installed
 * package no longer has that export, so an upgrade cannot quietly go back. Idempotent.
 */
export function useReusedOperations(): void {
  if (typeof operations.operationFromDocument !== 'function') {
    throw new Error('@apollo/federation-internals/dist/operations no longer exports operationFromDocument: see gateway/src/execution/reusedOperations.ts');
  }
  operations.operationFromDocument = reusedOperationFromDocument;
}

/** The package's own, for the tests. */
export const packageOperationFromDocument = buildOperation;
