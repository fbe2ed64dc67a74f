// The test environment every project runs in (test/support/testEnvironment.cjs): once jest-circus is done with a file,
// the file's hook and test functions are dropped, so a resource that outlives the file cannot keep what they reach.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const TestEnvironment = require('../../test/support/testEnvironment.cjs') as {
  prototype: { handleTestEvent(event: { name: string }, state: unknown): Promise<void> };
};

type Fn = (() => void) | undefined;
interface Hook { type: string; fn: Fn; asyncError: Error | undefined }
interface Test { type: 'test'; name: string; fn: Fn; asyncError: Error | undefined; errors: unknown[] }
interface Block { type: 'describeBlock'; name: string; hooks: Hook[]; children: (Block | Test)[] }

const hook = (type: string): Hook => ({ type, fn: () => {}, asyncError: new Error('placed') });
const test = (name: string): Test => ({ type: 'test', name, fn: () => {}, asyncError: new Error('placed'), errors: ['kept'] });

/** A file's tree as jest-circus keeps it: a root block with hooks and tests, and a nested block with its own. */
function fileTree() {
  const inner: Block = { type: 'describeBlock', name: 'inner', hooks: [hook('beforeEach')], children: [test('deep')] };
  const root: Block = { type: 'describeBlock', name: 'ROOT_DESCRIBE_BLOCK', hooks: [hook('beforeAll'), hook('afterAll')], children: [test('top'), inner] };
  return { root, inner, state: { rootDescribeBlock: root } };
}

describe('the test environment', () => {
  it('drops every hook and test function of the file, nested blocks included, at jest-circus teardown', async () => {
    const { root, inner, state } = fileTree();
    await TestEnvironment.prototype.handleTestEvent({ name: 'teardown' }, state);
    const hooks = [...root.hooks, ...inner.hooks];
    const tests = [root.children[0] as Test, inner.children[0] as Test];
    expect(hooks.map((h) => [h.fn, h.asyncError])).toEqual(hooks.map(() => [undefined, undefined]));
    expect(tests.map((t) => [t.fn, t.asyncError])).toEqual(tests.map(() => [undefined, undefined]));
    // What the results are made of stays.
    expect(tests.map((t) => [t.name, t.errors])).toEqual([['top', ['kept']], ['deep', ['kept']]]);
    expect(hooks.map((h) => h.type)).toEqual(['beforeAll', 'afterAll', 'beforeEach']);
  });

  it.each(['run_finish', 'test_done', 'hook_success', 'run_describe_finish'])('keeps them at %s, while the file may still run them', async (name) => {
    const { root, inner, state } = fileTree();
    await TestEnvironment.prototype.handleTestEvent({ name }, state);
    expect([...root.hooks, ...inner.hooks].every((h) => typeof h.fn === 'function')).toBe(true);
    expect([root.children[0] as Test, inner.children[0] as Test].every((t) => typeof t.fn === 'function')).toBe(true);
  });
});
