import { requestTarget } from '../requestTarget';

describe('requestTarget', () => {
  it.each([
    ['/metrics', '/metrics', ''],
    ['/metrics?x', '/metrics', '?x'],
    ['/metrics#x', '/metrics', ''],
    ['/graphql?query={a}#frag', '/graphql', '?query={a}'],
    ['http://gateway.example/metrics', '/metrics', ''],
    ['HTTP://gateway.example:4000/metrics?x#y', '/metrics', '?x'],
    ['/a/../metrics', '/metrics', ''],
    ['http://gateway.example/a/../metrics', '/metrics', ''],
  ])('reads %j as path %j and query %j', (raw, pathname, search) => {
    expect(requestTarget(raw)).toEqual({ pathname, search });
  });

  it('keeps a doubled slash as a path of its own, in origin-form and absolute-form alike', () => {
    expect(requestTarget('//metrics')?.pathname).toBe('//metrics');
    expect(requestTarget('http://gateway.example//metrics')?.pathname).toBe('//metrics');
  });

  it('decodes nothing', () => {
    expect(requestTarget('/%6Detrics')?.pathname).toBe('/%6Detrics');
  });

  it.each([undefined, '', '*', 'gateway.example:443', 'ftp://gateway.example/metrics', 'http://[::1/metrics'])('finds no path in %j', (raw) => {
    expect(requestTarget(raw)).toBeUndefined();
  });
});
