import { parse, type FieldNode, type OperationDefinitionNode } from 'graphql';
import { SettlingDataLoader } from '../../../../../shared/src';
import type { InstrumentEntity } from '../../instruments/InstrumentEntity';
import type { LabEntity } from '../LabEntity';
import { instrumentLabResolvers, withPageLabs } from '../labResolvers';

/** The resolve info of `instruments` in `query`, as far as the selection is concerned. */
function infoOf(query: string) {
  const operation = parse(query).definitions[0] as OperationDefinitionNode;
  return { fieldNodes: [operation.selectionSet.selections[0] as FieldNode], fragments: {} } as never;
}

describe('withPageLabs', () => {
  const rows = [{ id: 'i1', labId: 'l1' }, { id: 'i2', labId: 'l2' }, { id: 'i3', labId: 'l1' }, { id: 'i4', labId: null }] as InstrumentEntity[];
  const page = async () => ({ edges: rows.map((node) => ({ node })), pageInfo: { hasNextPage: false } });

  const context = () => {
    const batches: (readonly string[])[] = [];
    const labs = new SettlingDataLoader<string, LabEntity | null>(async (ids) => {
      batches.push(ids);
      return ids.map((id) => ({ id, name: `Lab ${id}` }) as LabEntity);
    });
    return { batches, context: { loaders: { labs } } };
  };

  it("reads a page's labs in one batch first, so that every instrument answers its lab plainly", async () => {
    const { batches, context: ctx } = context();
    const connection = await withPageLabs(page)(null, {}, ctx, infoOf('{ instruments { edges { node { name lab { name } } } } }'));
    expect(batches).toEqual([['l1', 'l2']]);
    const labs = connection.edges.map(({ node }) => instrumentLabResolvers.lab(node, undefined, ctx as never));
    expect(labs.map((lab) => (lab instanceof Promise ? 'promise' : lab?.name ?? null))).toEqual(['Lab l1', 'Lab l2', 'Lab l1', null]);
  });

  it('reads no lab when the page does not ask for it', async () => {
    const { batches, context: ctx } = context();
    await withPageLabs(page)(null, {}, ctx, infoOf('{ instruments { edges { node { name } } } }'));
    expect(batches).toEqual([]);
  });
});
