import * as crypto from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { signWebhook } from '../signWebhook';

/** The receiver's verification as the README shows it to partners, run as they would copy it. */
function readmeVerifier(): (secret: string, rawBody: string, header: string, toleranceSeconds?: number) => boolean {
  const readme = readFileSync(join(__dirname, '../../../../../../README.md'), 'utf8');
  const block = [...readme.matchAll(/```js\n([\s\S]*?)```/g)].map((match) => match[1]!).find((code) => code.includes('function verifyShuangchengSignature'));
  if (!block) throw new Error('the README shows no verifyShuangchengSignature snippet');
  const body = block.replace(/^import \{ createHmac, timingSafeEqual \} from 'node:crypto';$/m, '');
  return new Function('createHmac', 'timingSafeEqual', `${body}\nreturn verifyShuangchengSignature;`)(crypto.createHmac, crypto.timingSafeEqual);
}

describe("the README's signature check for receivers", () => {
  const verify = readmeVerifier();
  const body = '{"id":"5f0c","type":"booking.confirmed","state":{"status":"CONFIRMED"}}';
  const now = Math.floor(Date.now() / 1000);

  it('accepts what the delivery worker signs', () => {
    expect(verify('whsec_partner', body, signWebhook('whsec_partner', body, now))).toBe(true);
  });

  it('refuses another secret, a changed body, an old timestamp and a malformed header', () => {
    expect(verify('whsec_other', body, signWebhook('whsec_partner', body, now))).toBe(false);
    expect(verify('whsec_partner', body.replace('CONFIRMED', 'REJECTED'), signWebhook('whsec_partner', body, now))).toBe(false);
    expect(verify('whsec_partner', body, signWebhook('whsec_partner', body, now - 3_600))).toBe(false);
    expect(verify('whsec_partner', body, 'garbage')).toBe(false);
  });
});
