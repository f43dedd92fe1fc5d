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

/**
 * Whether two parsed JSON values are the same JSON, as jsonb equality says it: object keys in any
 * order, numbers by value (`-0` is `0`; jsonb keeps no sign of zero). With a stack of its own, so
 * no nesting depth can overflow the call stack.
 */
export function sameJson(a: unknown, b: unknown): boolean {
  const pairs: [unknown, unknown][] = [[a, b]];
  while (pairs.length > 0) {
    const [x, y] = pairs.pop()!;
    if (x === y) continue; // numbers (0 === -0), strings, booleans, null, the same object
    if (typeof x !== 'object' || typeof y !== 'object' || x === null || y === null || Array.isArray(x) !== Array.isArray(y)) return false;
    if (Array.isArray(x)) {
      const ys = y as unknown[];
      if (x.length !== ys.length) return false;
      x.forEach((item, i) => pairs.push([item, ys[i]]));
      continue;
    }
    const xo = x as Record<string, unknown>;
    const yo = y as Record<string, unknown>;
    const keys = Object.keys(xo);
    if (keys.length !== Object.keys(yo).length) return false;
    for (const key of keys) {
      if (!Object.prototype.hasOwnProperty.call(yo, key)) return false;
      pairs.push([xo[key], yo[key]]);
    }
  }
  return true;
}
