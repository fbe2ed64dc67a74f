import { createMetricsRegistry, type Viewer } from '../../../../shared/src';
import { createClientQuotas } from '../createClientQuotas';

const client = (id: string, perMinute: number, perDay: number): Viewer => ({
  subject: `client:${id}`, kind: 'client', province: null, roles: ['partner'], scopes: [], displayName: id, institution: null, affiliation: null,
  quota: { perMinute, perDay }, delegation: null,
});
const person: Viewer = { subject: 'u', kind: 'user', province: null, roles: ['researcher'], scopes: [], displayName: null, institution: null, affiliation: null, quota: null, delegation: null };

describe('createClientQuotas', () => {
  it('charges each client its own quota, a batch counting each operation, and leaves people to the general limit', async () => {
    const metrics = createMetricsRegistry('gateway');
    const quotas = createClientQuotas(metrics);
    await quotas.charge(client('a', 5, 100), 5);
    await expect(quotas.charge(client('a', 5, 100), 1)).rejects.toMatchObject({
      message: expect.stringContaining('Partner client a is over its quota of 5 requests a minute'),
      extensions: { code: 'RATE_LIMITED' },
    });
    await quotas.charge(client('b', 5, 100), 5);
    for (let i = 0; i < 20; i += 1) await quotas.charge(person, 1);
    await quotas.charge(null, 1);
    const text = await metrics.metrics();
    expect(text).toContain('gateway_client_operations_total{client="a",outcome="admitted",service="gateway"} 5');
    expect(text).toContain('gateway_client_operations_total{client="a",outcome="over_quota",service="gateway"} 1');
  });

  it('holds a day quota below the minute one, and names at most 100 clients in the metrics', async () => {
    const metrics = createMetricsRegistry('gateway');
    const quotas = createClientQuotas(metrics);
    await quotas.charge(client('daily', 10, 10), 10);
    await expect(quotas.charge(client('daily', 10, 10), 1)).rejects.toMatchObject({ message: expect.stringContaining('quota of 10 requests a day') });
    for (let i = 0; i < 120; i += 1) await quotas.charge(client(`c${i}`, 10, 10), 1);
    const labels = new Set([...(await metrics.metrics()).matchAll(/gateway_client_operations_total\{client="([^"]+)"/g)].map((match) => match[1]));
    expect(labels.size).toBe(101);
    expect(labels).toContain('other');
  });

  it('charges a token a client holds for a person to that client\'s quota, shared with its own token', async () => {
    const quotas = createClientQuotas(createMetricsRegistry('gateway'));
    const actingForPerson: Viewer = { ...person, quota: { perMinute: 3, perDay: 100 }, delegation: { clientId: 'portal', consentId: 'c1' } };
    await quotas.charge(client('portal', 3, 100), 2);
    await quotas.charge(actingForPerson, 1);
    await expect(quotas.charge(actingForPerson, 1)).rejects.toMatchObject({ message: expect.stringContaining('Partner client portal is over its quota of 3 requests a minute') });
  });
});
