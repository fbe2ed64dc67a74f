import { createHash } from 'node:crypto';
import { ApolloServer } from '@apollo/server';
import { buildSchema } from 'graphql';
import { RememberingHash, useRememberedQueryHashes } from '../rememberedQueryHashes';

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

describe('RememberingHash', () => {
  it('digests as node:crypto does, the first time and every time after', () => {
    const texts = ['query { a }', 'query Search($q: String!) { search(q: $q) { id } }', '仪器 🔬 é', '', 'x'.repeat(50_000)];
    for (let round = 0; round < 3; round += 1) {
      for (const text of texts) expect(new RememberingHash('sha256').update(text).digest('hex')).toBe(sha256(text));
    }
  });

  it('digests text given in parts as the parts joined, and tells apart texts that join alike in other places', () => {
    const hash = (parts: string[]) => parts.reduce((h, part) => h.update(part), new RememberingHash('sha256')).digest('hex');
    expect(hash(['abc', 'Search'])).toBe(sha256('abcSearch'));
    expect(hash(['abcS', 'earch'])).toBe(sha256('abcSearch'));
    expect(hash(['abc', 'Search2'])).toBe(sha256('abcSearch2'));
    expect(new RememberingHash('sha512').update('abcSearch').digest('hex')).toBe(createHash('sha512').update('abcSearch').digest('hex'));
  });

  it('hashes anything but text, or into another encoding, with node:crypto', () => {
    const bytes = Buffer.from('query { a }');
    expect(new RememberingHash('sha256').update(bytes).digest('hex')).toBe(createHash('sha256').update(bytes).digest('hex'));
    expect(new RememberingHash('sha256').update('query { a }').digest('base64')).toBe(createHash('sha256').update('query { a }').digest('base64'));
    expect(new RememberingHash('sha256').update('query { a }').digest()).toEqual(createHash('sha256').update('query { a }').digest());
  });
});

describe('useRememberedQueryHashes', () => {
  it("is what Apollo Server's and the gateway's createHash make, and Apollo Server checks a persisted query's hash with it", async () => {
    useRememberedQueryHashes();
    const fromServer = require(require.resolve('@apollo/utils.createhash', { paths: [require.resolve('@apollo/server')] })) as { createHash: (kind: string) => unknown };
    const fromGateway = require(require.resolve('@apollo/utils.createhash', { paths: [require.resolve('@apollo/gateway')] })) as { createHash: (kind: string) => unknown };
    expect(fromServer.createHash('sha256')).toBeInstanceOf(RememberingHash);
    expect(fromGateway.createHash('sha256')).toBeInstanceOf(RememberingHash);

    const server = new ApolloServer({ schema: buildSchema('type Query { hello: String }'), rootValue: { hello: 'world' } });
    await server.start();
    try {
      const query = '{ hello }';
      const send = async (sha256Hash: string, text?: string) => {
        const response = await server.executeOperation({ query: text, extensions: { persistedQuery: { version: 1, sha256Hash } } } as never);
        return response.body.kind === 'single' ? response.body.singleResult : null;
      };
      // Registered with its right hash, then answered from the hash alone.
      expect((await send(sha256(query), query))?.data).toEqual({ hello: 'world' });
      expect((await send(sha256(query)))?.data).toEqual({ hello: 'world' });
      // A wrong hash for the text is refused, remembered or not.
      for (let round = 0; round < 2; round += 1) expect((await send(sha256('{ other }'), query))?.errors?.[0]?.message).toBe('provided sha does not match query');
    } finally {
      await server.stop();
    }
  });
});
