/**
 * CSV as spreadsheets read it (RFC 4180): a field with a comma, quote or line break is quoted,
 * quotes doubled; lines end with CRLF. Text that came from a sender (a campaign name, a reason)
 * and that a spreadsheet would run as a formula gets a leading quote.
 */
export function csvField(value: unknown, text: boolean): string {
  let field = value === null || value === undefined ? '' : String(value);
  if (text && /^[=+\-@\t\r]/.test(field)) field = `'${field}`;
  return /[",\r\n]/.test(field) ? `"${field.replace(/"/g, '""')}"` : field;
}

/** Rows of named columns; `textColumns` are those a sender wrote (see csvField). */
export function csvTable(columns: readonly string[], rows: Record<string, unknown>[], textColumns: ReadonlySet<string>): string {
  const lines = [columns.join(',')];
  for (const row of rows) lines.push(columns.map((column) => csvField(row[column], textColumns.has(column))).join(','));
  return `${lines.join('\r\n')}\r\n`;
}

/** Whether a route that answers JSON or CSV should answer CSV: `format=csv`, or no format and `Accept: text/csv`. */
export function wantsCsv(format: 'json' | 'csv' | undefined, accept: string | undefined): boolean {
  return format === 'csv' || (format === undefined && /\btext\/csv\b/.test(accept ?? ''));
}
