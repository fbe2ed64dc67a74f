import { ClientStatusDirectory, type ClientStanding } from '../ClientStatusDirectory';
import type { Viewer } from '../claims';

const client = (id: string): Viewer => ({
  subject: `client:${id}`, kind: 'client', province: null, roles: ['partner'], scopes: [], displayName: id, institution: null, affiliation: null, quota: null,
});
const later = new Date(Date.parse('2030-01-01T00:00:00Z'));

describe('ClientStatusDirectory', () => {
  it('fetches the standings once per max age, and refuses suspended, expired and unknown clients', async () => {
    let now = Date.parse('2029-01-01T00:00:00Z');
    let standings: ClientStanding[] = [{ clientId: 'ok', suspended: false, expiresAt: later }];
    let fetches = 0;
    const directory = new ClientStatusDirectory({ load: async () => (fetches += 1, standings), maxAgeMs: 30_000, maxStaleMs: 300_000, now: () => now });
    await directory.admit(client('ok'));
    await directory.admit(client('ok'));
    expect(fetches).toBe(1);

    standings = [{ clientId: 'ok', suspended: true, expiresAt: later }];
    await directory.admit(client('ok'));
    now += 30_000;
    await expect(directory.admit(client('ok'))).rejects.toMatchObject({ code: 'UNAUTHENTICATED', message: expect.stringContaining('is suspended') });
    expect(fetches).toBe(2);

    standings = [{ clientId: 'old', suspended: false, expiresAt: new Date(now - 1) }];
    await expect(directory.admit(client('old'))).rejects.toMatchObject({ message: expect.stringContaining('registration expired') });
    await expect(directory.admit(client('nobody'))).rejects.toMatchObject({ message: expect.stringContaining('is not registered') });
    await directory.admit(null);
  });

  it('uses the last list while the platform is down, up to the stale limit, then refuses client tokens', async () => {
    let now = 0;
    let up = true;
    const directory = new ClientStatusDirectory({
      load: async () => {
        if (!up) throw new Error('platform down');
        return [{ clientId: 'ok', suspended: false, expiresAt: later }];
      },
      maxAgeMs: 30_000, maxStaleMs: 300_000, now: () => now,
    });
    await directory.admit(client('ok'));
    up = false;
    now = 200_000;
    await directory.admit(client('ok'));
    now = 300_001;
    await expect(directory.admit(client('ok'))).rejects.toMatchObject({ code: 'SERVICE_UNAVAILABLE' });
  });
});
