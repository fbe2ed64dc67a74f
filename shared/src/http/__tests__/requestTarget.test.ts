import { requestTarget } from '../requestTarget';

describe('requestTarget', () => {
  it.each([
    ['/metrics', '/metrics', ''],
    ['/metrics?x', '/metrics', '?x'],
    ['/metrics#x', '/metrics', ''],
    ['/graphql?query={a}#frag', '/graphql', '?query={a}'],
    ['http://gateway.example/metrics', '/metrics', ''],
    ['HTTP://gateway.example:4000/metrics?x#y', '/metrics', '?x'],
    ['http://gateway.example', '/', ''],
    ['http://gateway.example?x', '/', '?x'],
  ])('reads %j as path %j and query %j', (raw, pathname, search) => {
    expect(requestTarget(raw)).toEqual({ pathname, search });
  });

  it.each(['//metrics', '/%6Detrics', '/x/../metrics', '/dashboard/app.js/..', '/metrics/'])('keeps %j as sent, in origin-form and absolute-form alike', (path) => {
    expect(requestTarget(path)?.pathname).toBe(path);
    expect(requestTarget(`http://gateway.example${path}`)?.pathname).toBe(path);
  });

  it.each([undefined, '', '*', 'gateway.example:443', 'ftp://gateway.example/metrics', 'metrics'])('finds no path in %j', (raw) => {
    expect(requestTarget(raw)).toBeUndefined();
  });
});
