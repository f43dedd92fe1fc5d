export const ADMIN_URL_ENV = 'LEDGER_TEST_ADMIN_URL';
export const TEMPLATE_ENV = 'LEDGER_TEST_TEMPLATE_DB';

/** The same server as `url`, another database. */
export function databaseUrl(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}

export function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}
