/**
 * An event's body as stored: one copy, its raw bytes (the bytes the hash chain covers), and, only
 * where those are not valid UTF-8, the text ingest decoded from them (`decoded_body`, each bad
 * sequence a U+FFFD: migration 1764000033000). Everything that reads a body as JSON reads it here.
 */
export interface StoredBody {
  raw_body: Buffer;
  decoded_body: string | null;
}

/** SQL: the body's text (`e` the events row). Never fails on a row ingest stored: where the bytes are not UTF-8, the decoded text is there. */
export const bodyTextSql = (alias = 'e') => `COALESCE(${alias}.decoded_body, convert_from(${alias}.raw_body, 'UTF8'))`;

/** The body's text, as ingest parsed it. */
export function storedBodyText(row: StoredBody): string {
  return row.decoded_body ?? row.raw_body.toString('utf8');
}

/** The body parsed; undefined when it does not parse (ingest never stores such a body: a row written some other way). */
export function parseStoredBody(row: StoredBody): unknown {
  try {
    return JSON.parse(storedBodyText(row));
  } catch {
    return undefined;
  }
}
