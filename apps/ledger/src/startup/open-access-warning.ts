import { ENV_NAMES, LedgerConfig } from '../config/ledger-config';

/**
 * One warning line naming what this configuration leaves open to anyone, and how to close it;
 * undefined when nothing is. Outside production the service starts open (a newcomer's `npm start`
 * just works), so it must say so where an operator looks first: the log at start.
 */
export function openAccessWarning(config: LedgerConfig): string | undefined {
  const open: string[] = [];
  const close: string[] = [];
  if (config.webhookSecrets.length === 0) {
    open.push('unsigned webhooks are accepted (anyone can write events)');
    close.push(`set ${ENV_NAMES.webhookSecrets} to your Voucherify webhook secret`);
  }
  if (config.readTokens.length === 0) {
    open.push(
      config.readApiPublic
        ? `the read API serves customer data to anyone (${ENV_NAMES.readApiPublic}=true)`
        : 'the read API serves customer data to anyone',
    );
    close.push(`set ${ENV_NAMES.readTokens} to one or more bearer tokens`);
  }
  if (open.length === 0) return undefined;
  return (
    `open to anyone: ${open.join('; ')}. To close: ${close.join(' and ')}` +
    ` (with NODE_ENV=production the service refuses to start open unless told so).`
  );
}
