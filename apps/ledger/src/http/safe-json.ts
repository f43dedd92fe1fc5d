import type { FastifyInstance } from 'fastify';

type Work = { raw: string } | { value: unknown };

/** What JSON.stringify writes for `value` under `key` once toJSON (a Date's, e.g.) has had its say. */
function prepare(value: unknown, key: string): unknown {
  const withToJson = value as { toJSON?: (key: string) => unknown } | null;
  return withToJson !== null && typeof withToJson === 'object' && typeof withToJson.toJSON === 'function' ? withToJson.toJSON(key) : value;
}

const omitted = (value: unknown) => value === undefined || typeof value === 'function' || typeof value === 'symbol';

/**
 * JSON.stringify's output for JSON-like values, written with a work stack of its own instead of
 * recursion: no nesting depth can overflow the call stack. A value met twice is refused (as
 * JSON.stringify refuses a cycle), so a cyclic structure cannot loop forever.
 */
export function stringifyIteratively(root: unknown): string | undefined {
  const first = prepare(root, '');
  if (omitted(first)) return undefined;
  const parts: string[] = [];
  const seen = new Set<object>();
  const work: Work[] = [{ value: first }];
  const pushReversed = (items: Work[]) => {
    for (let i = items.length - 1; i >= 0; i--) work.push(items[i]);
  };
  while (work.length > 0) {
    const item = work.pop()!;
    if ('raw' in item) {
      parts.push(item.raw);
      continue;
    }
    const value = item.value;
    if (value === null) parts.push('null');
    else if (typeof value === 'string') parts.push(JSON.stringify(value));
    else if (typeof value === 'number') parts.push(Number.isFinite(value) ? String(value) : 'null');
    else if (typeof value === 'boolean') parts.push(value ? 'true' : 'false');
    else if (typeof value === 'bigint') throw new TypeError('Do not know how to serialize a BigInt');
    else if (typeof value === 'object') {
      if (seen.has(value)) throw new TypeError('Converting circular structure to JSON');
      seen.add(value);
      const items: Work[] = [];
      if (Array.isArray(value)) {
        items.push({ raw: '[' });
        value.forEach((element, index) => {
          if (index > 0) items.push({ raw: ',' });
          const prepared = prepare(element, String(index));
          items.push({ value: omitted(prepared) ? null : prepared });
        });
        items.push({ raw: ']' });
      } else {
        items.push({ raw: '{' });
        for (const [key, element] of Object.entries(value)) {
          const prepared = prepare(element, key);
          if (omitted(prepared)) continue;
          items.push({ raw: `${items.length > 1 ? ',' : ''}${JSON.stringify(key)}:` }, { value: prepared });
        }
        items.push({ raw: '}' });
      }
      pushReversed(items);
    } else parts.push('null');
  }
  return parts.join('');
}

/** JSON.stringify, and the iterative writer only for values too deep for it (its RangeError). */
export function stringifySafely(value: unknown): string {
  try {
    return JSON.stringify(value);
  } catch (error) {
    if (!(error instanceof RangeError)) throw error;
    return stringifyIteratively(value) ?? '';
  }
}

/**
 * Every JSON answer of the service goes through stringifySafely: whatever a stored event or a
 * read model holds, writing the answer can never overflow the stack (a 500 for good, since the
 * log is append-only). The normal path is the plain JSON.stringify Fastify used already.
 */
export function registerSafeJsonSerializer(fastify: FastifyInstance): void {
  fastify.setReplySerializer((payload) => stringifySafely(payload));
}
