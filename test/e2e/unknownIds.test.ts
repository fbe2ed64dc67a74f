/**
 * @testSystem in-process: nothing here needs a port or a process of its own.
 *
 * A well-formed id that names nothing: null and NOT_FOUND on every path the platform routes to an owner,
 * whatever the query selects (`id` alone included; only `__typename` alone is told from the id's prefix, unasked);
 * a documented null where a registry is asked directly.
 */
import { randomUUID } from 'node:crypto';
import { PROVINCES, encodeGlobalId, type EntityKind, type ProvinceKey } from '../../shared/src';
import { ADMIN_OF, createLab, localIdOf, sql } from '../support/registryFixtures';
import { gateway, tokenFor } from '../support/system';

const unknownId = (province: ProvinceKey, kind: EntityKind) => encodeGlobalId(PROVINCES[province], kind, randomUUID());

describe('an id that names nothing, asked through the platform', () => {
  it.each([
    ['instrument', 'instrument', 'sichuan'],
    ['instrument', 'instrument', 'chongqing'],
    ['lab', 'lab', 'sichuan'],
    ['lab', 'lab', 'chongqing'],
    ['talentCard', 'talentcard', 'sichuan'],
    ['talentCard', 'talentcard', 'chongqing'],
  ] as const)('%s(id) of %s… answers null and NOT_FOUND, selecting only id or more', async (field, kind, province) => {
    const id = unknownId(province as ProvinceKey, kind);
    const token = await tokenFor(ADMIN_OF[province as ProvinceKey]);
    for (const selection of ['id', '__typename id', field === 'talentCard' ? 'id cardNumber' : 'id name']) {
      const { status, body } = await gateway(`query Unknown($id: ID!) { thing: ${field}(id: $id) { ${selection} } }`, { variables: { id }, token });
      expect({ selection, status, data: body.data }).toEqual({ selection, status: 200, data: { thing: null } });
      expect(body.errors).toHaveLength(1);
      expect(body.errors![0]).toMatchObject({ path: ['thing'], extensions: { code: 'NOT_FOUND', id } });
      expect(body.errors![0]!.message).toContain(id);
    }
  });

  it('still answers what exists, id alone included', async () => {
    const id = await createLab('sichuan');
    const { body } = await gateway('query Known($id: ID!) { lab(id: $id) { id } }', { variables: { id } });
    expect(body).toEqual({ data: { lab: { id } } });
  });
});

describe('an id that names nothing, asked of its registry', () => {
  it.each(['sichuan', 'chongqing'] as const)('%s: instrument, lab and booking answer a documented null, without an error', async (province) => {
    const { body } = await gateway(
      `query Direct($i: ID!, $l: ID!, $b: ID!) { ${province} { instrument(id: $i) { id } lab(id: $l) { id } booking(id: $b) { id } } }`,
      { variables: { i: unknownId(province, 'instrument'), l: unknownId(province, 'lab'), b: unknownId(province, 'booking') }, token: await tokenFor(ADMIN_OF[province]) },
    );
    expect(body).toEqual({ data: { [province]: { instrument: null, lab: null, booking: null } } });
  });
});

describe('a reference inside a list that names nothing', () => {
  it("a joint lab's partner instrument the partner does not have is null in the list, with NOT_FOUND at its index", async () => {
    const labId = await createLab('sichuan', { partnerProvince: 'CHONGQING', partnerInstrumentIds: [] });
    const missing = unknownId('chongqing', 'instrument');
    // Written past the API, which checks partner ids when a lab is saved: as if the partner had lost the row since.
    await sql('sichuan', 'INSERT INTO lab_partner_instruments (lab_id, partner_instrument_id, position) VALUES ($1, $2, 0)', [localIdOf(labId), missing]);
    const { body } = await gateway('query Joint($id: ID!) { lab(id: $id) { id instruments { id name } } }', { variables: { id: labId } });
    expect(body.data?.lab).toEqual({ id: labId, instruments: [null] });
    expect(body.errors).toHaveLength(1);
    expect(body.errors![0]).toMatchObject({ path: ['lab', 'instruments', 0], extensions: { code: 'NOT_FOUND', id: missing } });
  });
});
