// Jest's own file order (slowest first, from the last run), or another one with
// TEST_FILE_ORDER=reverse|shuffle|path: running the suite in a different file
// order shows that no system-test file depends on what another wrote before it
// (each has its own databases). CommonJS because jest loads it untransformed.
const Sequencer = require('@jest/test-sequencer').default;

class FileOrderSequencer extends Sequencer {
  sort(tests) {
    const order = process.env.TEST_FILE_ORDER;
    if (!order) return super.sort(tests);
    const byPath = [...tests].sort((a, b) => a.path.localeCompare(b.path));
    if (order === 'path') return byPath;
    if (order === 'reverse') return byPath.reverse();
    if (order === 'shuffle') {
      for (let i = byPath.length - 1; i > 0; i -= 1) {
        const j = Math.floor(Math.random() * (i + 1));
        [byPath[i], byPath[j]] = [byPath[j], byPath[i]];
      }
      return byPath;
    }
    throw new Error(`TEST_FILE_ORDER: expected path, reverse or shuffle, got ${JSON.stringify(order)}`);
  }
}

module.exports = FileOrderSequencer;
