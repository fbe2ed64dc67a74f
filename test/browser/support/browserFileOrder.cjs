// The browser test files share one system, and the last test of dashboard.test.ts stops its Sichuan
// subgraph: that file runs after every other. CommonJS because jest loads it untransformed.
const Sequencer = require('@jest/test-sequencer').default;

const STOPS_SICHUAN = /[\\/]dashboard\.test\.ts$/;

class BrowserFileOrder extends Sequencer {
  sort(tests) {
    const byPath = [...tests].sort((a, b) => a.path.localeCompare(b.path));
    return [...byPath.filter((test) => !STOPS_SICHUAN.test(test.path)), ...byPath.filter((test) => STOPS_SICHUAN.test(test.path))];
  }
}

module.exports = BrowserFileOrder;
