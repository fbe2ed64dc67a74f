import { buildSchema, operationFromDocument } from '@apollo/federation-internals';
import { Kind, parse, type DocumentNode, type FragmentDefinitionNode, type OperationDefinitionNode } from 'graphql';
import { packageOperationFromDocument, reusedOperationFromDocument, useReusedOperations } from '../reusedOperations';

const SDL = `
  type Lab { id: ID! name: String instruments: [Instrument!]! }
  type Instrument { id: ID! name: String }
  type Query { lab(id: ID!): Lab labs: [Lab!]! }
`;
const schema = buildSchema(SDL);
const parsed = parse(`query Lab($id: ID!) { lab(id: $id) { ...L instruments { id name @include(if: true) } } } fragment L on Lab { id name }`);
const [operationNode, fragmentNode] = parsed.definitions as [OperationDefinitionNode, FragmentDefinitionNode];

/** What `@apollo/gateway`'s executor hands over on every request: a new document around the same cached nodes. */
const asExecutorDoes = (operation: OperationDefinitionNode, fragments: readonly FragmentDefinitionNode[]): DocumentNode =>
  ({ kind: Kind.DOCUMENT, definitions: [operation, ...fragments] });

describe('reusedOperationFromDocument', () => {
  it("answers the executor's call for the same nodes with the operation it built the first time", () => {
    const first = reusedOperationFromDocument(schema, asExecutorDoes(operationNode, [fragmentNode]), { validate: false });
    const again = reusedOperationFromDocument(schema, asExecutorDoes(operationNode, [fragmentNode]), { validate: false });
    expect(again).toBe(first);
    // The operation the package itself builds from the same document.
    expect(first.toString()).toBe(packageOperationFromDocument(schema, parsed, { validate: false }).toString());
  });

  it('builds again for another schema, other fragment nodes or another operation node', () => {
    const first = reusedOperationFromDocument(schema, asExecutorDoes(operationNode, [fragmentNode]), { validate: false });
    const otherSchema = buildSchema(SDL);
    expect(reusedOperationFromDocument(otherSchema, asExecutorDoes(operationNode, [fragmentNode]), { validate: false })).not.toBe(first);
    const reparsed = parse(`query Lab($id: ID!) { lab(id: $id) { ...L instruments { id name @include(if: true) } } } fragment L on Lab { id }`);
    const otherFragment = reparsed.definitions[1] as FragmentDefinitionNode;
    const withOtherFragment = reusedOperationFromDocument(schema, asExecutorDoes(operationNode, [otherFragment]), { validate: false });
    expect(withOtherFragment).not.toBe(first);
    expect(withOtherFragment.toString()).not.toBe(first.toString());
    const otherOperation = reparsed.definitions[0] as OperationDefinitionNode;
    expect(reusedOperationFromDocument(schema, asExecutorDoes(otherOperation, [fragmentNode]), { validate: false })).not.toBe(first);
  });

  it('builds every other call: validated, named, or a document of several operations', () => {
    const document = asExecutorDoes(operationNode, [fragmentNode]);
    expect(reusedOperationFromDocument(schema, document)).not.toBe(reusedOperationFromDocument(schema, document));
    expect(reusedOperationFromDocument(schema, document, { validate: false, operationName: 'Lab' }))
      .not.toBe(reusedOperationFromDocument(schema, document, { validate: false, operationName: 'Lab' }));
    const two = parse(`query A { labs { id } } query B { labs { name } }`);
    const built = reusedOperationFromDocument(schema, two, { validate: false, operationName: 'B' });
    expect(built.toString()).toContain('name');
  });

  it("is what the package's index answers once in use, where @apollo/gateway's executor looks it up", () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const operations = require('@apollo/federation-internals/dist/operations') as { operationFromDocument: unknown };
    try {
      expect(operationFromDocument).toBe(packageOperationFromDocument);
      useReusedOperations();
      // Compiled, the import reads the index's export at each use, as the executor does.
      expect(operationFromDocument).toBe(reusedOperationFromDocument);
    } finally {
      operations.operationFromDocument = packageOperationFromDocument;
    }
  });
});
