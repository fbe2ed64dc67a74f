import { setFlagsFromString } from 'node:v8';

// V8's own test function, %HaveSameMap, needs its natives syntax: allowed for the functions compiled after this line
// (here, in a test process only).
setFlagsFromString('--allow-natives-syntax');
const haveSameMap = new Function('a', 'b', 'return %HaveSameMap(a, b)') as (a: object, b: object) => boolean;

/**
 * Whether V8 built two objects with the same hidden class (its "map"). Objects made by the same code with the same
 * keys share one; code that makes a new hidden class for every object it builds (V8 does for a spread followed by a
 * key of its own, patches/README.md) leaves each object with its own, allocated and then collected in the old
 * generation, and the property reads that meet them slow down.
 */
export function shareHiddenClass(a: object, b: object): boolean {
  return haveSameMap(a, b);
}
