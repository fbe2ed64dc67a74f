// Jest's Node environment for the unit project, which also turns off, once a test file is done, every
// AsyncLocalStorage that the file's code turned on. jest-circus makes one per test file (its test execution
// context, in the file's own module registry) and never turns it off; Node then copies each one's store into every
// promise and callback the worker creates, for good: the fortieth file of a worker paid forty copies per promise,
// and the copying (AsyncLocalStorage._propagate) was some 4 % of a unit run's CPU. The host's AsyncLocalStorage is
// Node's own, shared by every file a worker runs, so the environment notes the instances turned on between its setup
// and its teardown, and turns them off at teardown, when nothing of the file runs any more.
// CommonJS because jest loads it untransformed.
const { AsyncLocalStorage } = require('node:async_hooks');
const NodeEnvironment = require('jest-environment-node').default;

/** Instances turned on while a test file ran, in this worker. */
const turnedOn = new Set();
let fileRunning = false;

// Node 20 turns an instance on in _enable (run and enterWith call it). A Node without it keeps no such list to leak.
const enable = AsyncLocalStorage.prototype._enable;
if (typeof enable === 'function' && !enable.tracked) {
  const tracked = function (...args) {
    if (fileRunning && !this.enabled) turnedOn.add(this);
    return enable.apply(this, args);
  };
  tracked.tracked = true;
  AsyncLocalStorage.prototype._enable = tracked;
}

class UnitTestEnvironment extends NodeEnvironment {
  async setup() {
    await super.setup();
    fileRunning = true;
  }

  async teardown() {
    fileRunning = false;
    for (const storage of turnedOn) storage.disable();
    turnedOn.clear();
    await super.teardown();
  }
}

module.exports = UnitTestEnvironment;
