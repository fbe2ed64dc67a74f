import { checkedAddresses, isNonPublicAddress, webhookUrlProblem } from '../webhookAddresses';

const production = { allowHttp: false, allowPrivateAddresses: false };
const development = { allowHttp: true, allowPrivateAddresses: true };

describe('webhook addresses', () => {
  it.each([
    '127.0.0.1', '127.8.9.10', '10.1.2.3', '172.16.0.1', '172.31.255.255', '192.168.1.1', '169.254.169.254', '100.64.0.1', '0.0.0.0',
    '224.0.0.1', '::1', '::', 'fe80::1', 'fd00::1', '::ffff:127.0.0.1', '::ffff:169.254.169.254', '::ffff:7f00:1', 'not-an-address',
  ])('%s is not public', (address) => {
    expect(isNonPublicAddress(address)).toBe(true);
  });

  it.each(['8.8.8.8', '172.32.0.1', '203.0.114.1', '2606:4700::1111', '::ffff:1.1.1.1'])('%s is public', (address) => {
    expect(isNonPublicAddress(address)).toBe(false);
  });

  it('refuses in production what development allows: http:, loopback, private and local names', () => {
    expect(webhookUrlProblem('http://partner.example/hooks', production)).toBe('must be an https: URL');
    expect(webhookUrlProblem('https://127.0.0.1/hooks', production)).toMatch(/private, loopback or link-local address \(127\.0\.0\.1\)/);
    expect(webhookUrlProblem('https://[::1]/hooks', production)).toMatch(/private, loopback or link-local address \(::1\)/);
    expect(webhookUrlProblem('https://169.254.169.254/latest/meta-data', production)).toMatch(/link-local/);
    // IPv4 written inside IPv6, which URL parsing turns into hex groups.
    expect(webhookUrlProblem('https://[::ffff:127.0.0.1]/hooks', production)).toMatch(/private, loopback or link-local address \(::ffff:7f00:1\)/);
    expect(webhookUrlProblem('https://localhost/hooks', production)).toMatch(/public host/);
    expect(webhookUrlProblem('https://intranet/hooks', production)).toMatch(/public host/);
    expect(webhookUrlProblem('https://partner.example/hooks', production)).toBeNull();
    expect(webhookUrlProblem('http://127.0.0.1:4010/hooks', development)).toBeNull();
  });

  it('refuses other schemes, credentials and fragments in every mode', () => {
    expect(webhookUrlProblem('ftp://partner.example/hooks', development)).toBe('must be an http: or https: URL');
    expect(webhookUrlProblem('file:///etc/passwd', production)).toBe('must be an https: URL');
    expect(webhookUrlProblem('https://a:b@partner.example/hooks', development)).toMatch(/user name or password/);
    expect(webhookUrlProblem('https://partner.example/hooks#x', development)).toMatch(/fragment/);
  });

  it('checks every address a name resolves to: one private address among public ones is refused (DNS rebinding)', async () => {
    const resolve = async () => [{ address: '93.184.216.34', family: 4 }, { address: '10.0.0.5', family: 4 }];
    await expect(checkedAddresses('rebinding.example', production, resolve)).rejects.toThrow('rebinding.example resolves to 10.0.0.5, which is not a public address');
    await expect(checkedAddresses('rebinding.example', development, resolve)).resolves.toHaveLength(2);
    const publicOnly = async () => [{ address: '93.184.216.34', family: 4 }];
    await expect(checkedAddresses('partner.example', production, publicOnly)).resolves.toEqual([{ address: '93.184.216.34', family: 4 }]);
  });
});
