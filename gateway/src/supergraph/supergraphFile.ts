import { join } from 'node:path';

/** The committed supergraph, the default `SUPERGRAPH_FILE`. Alone in its module, so that reading its path loads no configuration. */
export const SUPERGRAPH_FILE = join(__dirname, '..', '..', 'supergraph.graphql');
