import { ClientStatusDirectory, type ClientStanding } from '../ClientStatusDirectory';
import type { Viewer } from '../claims';

const client = (id: string): Viewer => ({
  subject: `client:${id}`, kind: 'client', province: null, roles: ['partner'], scopes: [], displayName: id, institution: null, affiliation: null, quota: null, delegation: null,
});
/** A person's token that partner client `id` holds with the person's consent `consentId`. */
const actingFor = (id: string, consentId: string): Viewer => ({
  subject: 'person-1', kind: 'user', province: 'sichuan', roles: ['researcher'], scopes: ['booking:write'], displayName: 'Li Wei', institution: null,
  affiliation: null, quota: null, delegation: { clientId: id, consentId },
});
const later = new Date(Date.parse('2030-01-01T00:00:00Z'));

describe('ClientStatusDirectory', () => {
  it('fetches the standings once per max age, and refuses suspended, expired and unknown clients', async () => {
    let now = Date.parse('2029-01-01T00:00:00Z');
    let standings: ClientStanding[] = [{ clientId: 'ok', suspended: false, expiresAt: later }];
    let fetches = 0;
    const directory = new ClientStatusDirectory({ load: async () => (fetches += 1, { clients: standings, revokedConsents: [] }), maxAgeMs: 30_000, maxStaleMs: 300_000, now: () => now });
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
        return { clients: [{ clientId: 'ok', suspended: false, expiresAt: later }], revokedConsents: [] };
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

  it('refuses a token a client holds for a person once the client is suspended or the consent revoked, within one max age', async () => {
    let now = 0;
    let standings = { clients: [{ clientId: 'portal', suspended: false, expiresAt: later }], revokedConsents: [] as string[] };
    const directory = new ClientStatusDirectory({ load: async () => standings, maxAgeMs: 30_000, maxStaleMs: 300_000, now: () => now });
    await directory.admit(actingFor('portal', 'consent-1'));
    standings = { ...standings, revokedConsents: ['consent-1'] };
    await directory.admit(actingFor('portal', 'consent-1'));
    now += 30_000;
    await expect(directory.admit(actingFor('portal', 'consent-1'))).rejects.toMatchObject({ code: 'UNAUTHENTICATED', message: expect.stringContaining('revoked their consent') });
    await directory.admit(actingFor('portal', 'consent-2'));
    standings = { clients: [{ clientId: 'portal', suspended: true, expiresAt: later }], revokedConsents: [] };
    now += 30_000;
    await expect(directory.admit(actingFor('portal', 'consent-2'))).rejects.toMatchObject({ message: expect.stringContaining('is suspended') });
  });
});
