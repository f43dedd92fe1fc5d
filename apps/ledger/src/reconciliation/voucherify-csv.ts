import { parse } from 'csv-parse/sync';

/** A header or a field name reduced to what Voucherify keeps of it: `Voucher ID`, `voucher_id` and `VoucherId` are one. */
const loose = (name: string) => name.toLowerCase().replace(/[\s_]/g, '');

/**
 * The rows of one of an export's CSV files, keyed by the fields asked for. Voucherify's header row
 * does not always spell a field as the request did (the reference's vouchers export starts
 * `ID,Code,Voucher Type`), so headers are matched ignoring case, spaces and underscores; a column
 * no field matches is left out. Parsed by csv-parse (quotes, commas and newlines inside a cell).
 */
export function readExportCsv(text: string, fields: string[]): Record<string, string>[] {
  const byLooseName = new Map(fields.map((f) => [loose(f), f]));
  const records: string[][] = parse(text, { bom: true, skip_empty_lines: true, relax_column_count: true });
  if (records.length === 0) return [];
  const columns = records[0].map((header) => byLooseName.get(loose(header)) ?? null);
  return records.slice(1).map((record) => {
    const row: Record<string, string> = {};
    columns.forEach((field, i) => {
      if (field !== null && record[i] !== undefined) row[field] = record[i];
    });
    return row;
  });
}
