import { loadConfig } from '../config/ledger-config';
import { openAccessWarning } from './open-access-warning';

describe('openAccessWarning', () => {
  it('names each open door and the variable that closes it', () => {
    const warning = openAccessWarning(loadConfig({}))!;
    expect(warning).toMatch(/^open to anyone: unsigned webhooks are accepted .*; the read API serves customer data to anyone\. To close: set VOUCHERIFY_WEBHOOK_SECRETS .* and set READ_TOKENS /);
  });

  it('names only the read API when webhooks are signed, and says when it is open on purpose', () => {
    const config = loadConfig({ NODE_ENV: 'production', VOUCHERIFY_WEBHOOK_SECRETS: 'webhook-secret-0123456789', READ_API_PUBLIC: 'true' });
    const warning = openAccessWarning(config)!;
    expect(warning).not.toContain('webhooks');
    expect(warning).toContain('READ_API_PUBLIC=true');
  });

  it('is silent when nothing is open', () => {
    expect(openAccessWarning(loadConfig({ VOUCHERIFY_WEBHOOK_SECRETS: 'webhook-secret-0123456789', READ_TOKENS: 'read-token-0123456789abc' }))).toBeUndefined();
  });
});
