import { signWebhook, verifyWebhookSignature } from '../signWebhook';

describe('webhook signatures', () => {
  const body = '{"id":"e1","type":"booking.confirmed"}';

  it('signs timestamp and body with HMAC-SHA256, which the receiver verifies', () => {
    const header = signWebhook('whsec_test', body, 1_800_000_000);
    expect(header).toMatch(/^t=1800000000,v1=[0-9a-f]{64}$/);
    expect(verifyWebhookSignature('whsec_test', body, header, 1_800_000_010)).toBe(true);
  });

  it('refuses another secret, a changed body, a changed timestamp and an old signature', () => {
    const header = signWebhook('whsec_test', body, 1_800_000_000);
    expect(verifyWebhookSignature('whsec_other', body, header, 1_800_000_000)).toBe(false);
    expect(verifyWebhookSignature('whsec_test', body.replace('confirmed', 'rejected'), header, 1_800_000_000)).toBe(false);
    expect(verifyWebhookSignature('whsec_test', body, header.replace('t=1800000000', 't=1800000001'), 1_800_000_001)).toBe(false);
    expect(verifyWebhookSignature('whsec_test', body, header, 1_800_000_000 + 301)).toBe(false);
    expect(verifyWebhookSignature('whsec_test', body, 'garbage', 1_800_000_000)).toBe(false);
  });
});
