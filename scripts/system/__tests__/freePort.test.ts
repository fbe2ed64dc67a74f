import { freePort } from '../freePort';

describe('freePort', () => {
  afterEach(() => jest.restoreAllMocks());

  it('never hands out a port twice, even one whose service is not listening at the moment', async () => {
    // The same random pick twice, then another: the second call must pass over the first call's port.
    const picks = [0.25, 0.25, 0.75];
    const random = Math.random;
    jest.spyOn(Math, 'random').mockImplementation(() => picks.shift() ?? random());
    const first = await freePort();
    const second = await freePort();
    expect(second).not.toBe(first);
  });

  it('hands out different ports across many calls', async () => {
    const ports = [];
    for (let i = 0; i < 300; i += 1) ports.push(await freePort());
    expect(new Set(ports).size).toBe(ports.length);
  });
});
