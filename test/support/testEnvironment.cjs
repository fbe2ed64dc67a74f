// Jest's Node environment for every project, which also lets a worker forget a test file once it is done. A worker
// runs many files, and two things of each file's outlived it.
//
// AsyncLocalStorage: jest-circus makes one per test file (its test execution context, in the file's own module
// registry) and never turns it off; Node then copies each one's store into every promise and callback the worker
// creates, for good: the fortieth file of a worker paid forty copies per promise, and the copying
// (AsyncLocalStorage._propagate) was some 4 % of a unit run's CPU. The host's AsyncLocalStorage is Node's own, shared
// by every file a worker runs, so the environment notes the instances turned on between its setup and its teardown,
// and turns them off at teardown, when nothing of the file runs any more.
//
// The file's code itself: every async resource created while a hook or test runs keeps jest-circus's store of that
// moment, `{ describeBlock, hook, test }`, and so the hook's or test's function, whose closure reaches everything the
// file made (a system file: its gateway, subgraphs, connection pools and its whole module registry). Resources that
// outlive the file keep it all: the worker's stdout pipe opened during a file's first log line, a pooled keep-alive
// socket, prom-client's event-loop histogram (held by Node until the process exits), a timer in a
// FinalizationRegistry. A system file left 50–70 MB behind, and a worker ended a full run with 2.6 GB of heap (1.1 GB
// since). When jest-circus has finished with a file (its `teardown` event), the environment drops the functions from
// the file's tree of describe blocks, hooks and tests, so a store still held somewhere points at an emptied
// description.
// CommonJS because jest loads it untransformed.
const { AsyncLocalStorage } = require('node:async_hooks');
const NodeEnvironment = require('jest-environment-node').default;

// A worker process ends when Jest, done, stops talking to it. Ending naturally, Node tears its V8 heap down page by
// page (perf: `Heap::TearDown` freeing each page of old space with its own `munmap`); at the end of a full run that
// took a worker 0.6 s, longer than the 500 ms Jest allows before it kills the worker and warns that it "failed to exit
// gracefully". `process.exit` leaves the memory to the kernel, which frees it at once. `beforeExit` comes only once
// nothing is left to run, with the exit code already settled. Worker processes only (Jest's in-band runs and worker
// threads end as they did).
if (process.env.JEST_WORKER_ID !== undefined && typeof process.send === 'function' && !process.listeners('beforeExit').some((listener) => listener.exitsAtOnce)) {
  const exitAtOnce = () => process.exit();
  exitAtOnce.exitsAtOnce = true;
  process.once('beforeExit', exitAtOnce);
}

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

/**
 * Drops what each hook and test of a describe block (and the blocks inside it) would run, and the error jest-circus
 * made to place an asynchronous failure: an error's stack, until it is first read, keeps the functions it passed
 * through. Results are reported by then; the names and errors stay.
 */
function releaseFunctions(block) {
  for (const hook of block.hooks) {
    hook.fn = undefined;
    hook.asyncError = undefined;
  }
  for (const child of block.children) {
    if (child.type === 'describeBlock') {
      releaseFunctions(child);
    } else {
      child.fn = undefined;
      child.asyncError = undefined;
    }
  }
}

class TestEnvironment extends NodeEnvironment {
  async setup() {
    await super.setup();
    fileRunning = true;
  }

  /** jest-circus's events; `teardown` is its last for a file, after every hook and test and their results. */
  async handleTestEvent(event, state) {
    if (event.name === 'teardown') releaseFunctions(state.rootDescribeBlock);
  }

  async teardown() {
    fileRunning = false;
    for (const storage of turnedOn) storage.disable();
    turnedOn.clear();
    await super.teardown();
  }
}

module.exports = TestEnvironment;
