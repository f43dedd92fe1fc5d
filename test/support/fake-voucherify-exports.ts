import { stringify } from 'csv-stringify/sync';

/** One CSV file of an export, as the download host serves it. */
export type ExportFile = string;

export interface FakeExport {
  /** `GET /v1/exports/{id}` calls so far. */
  polls: number;
  files: ExportFile[];
  exportedObject: string;
  parameters: Record<string, unknown>;
}
export type FakeExports = Map<string, FakeExport>;

/**
 * A header as Voucherify's CSV spells a field: not always as the request did (the reference's
 * vouchers export starts `ID,Code,Voucher Type,Value`), so a reader must match loosely.
 */
export const headerOf = (field: string) =>
  field
    .split('_')
    .map((word) => (word === 'id' ? 'ID' : word.charAt(0).toUpperCase() + word.slice(1)))
    .join(' ');

const cell = (value: unknown) => (value === null || value === undefined ? '' : typeof value === 'object' ? JSON.stringify(value) : String(value));

/** The rows as CSV lines (no header): the fields asked for, in the order asked, or every field of a row. */
export function exportCsv(rows: Record<string, unknown>[], fields?: unknown): { header: string[]; lines: string[] } {
  const names = Array.isArray(fields) && fields.length > 0 ? fields.map(String) : Object.keys(rows[0] ?? { id: null });
  return { header: names, lines: rows.map((row) => stringify([names.map((name) => cell(row[name]))])) };
}

/** Split into files of at most `rowsPerFile` rows, each with its own header row. */
export function exportFiles(csv: { header: string[]; lines: string[] }, rowsPerFile: number): ExportFile[] {
  const head = stringify([csv.header.map(headerOf)]);
  if (csv.lines.length === 0) return [head];
  const files: ExportFile[] = [];
  for (let i = 0; i < csv.lines.length; i += rowsPerFile) files.push(head + csv.lines.slice(i, i + rowsPerFile).join(''));
  return files;
}
