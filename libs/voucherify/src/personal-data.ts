/**
 * Where a customer's personal data sits in a Voucherify payload (docs/voucherify.md, section 11):
 * the fields of Voucherify's customer object wherever the customer appears (as `customer`, a card's
 * `holder`, a `referrer` or `referee`, in an order...), and the customer's own values (email,
 * phone) wherever a `metadata` object repeats them. What identifies no one stays: ids,
 * amounts, times, types.
 */
export const PERSONAL_FIELDS = ['name', 'email', 'phone', 'address', 'birthdate', 'birthday', 'metadata'] as const;

/** When a customer's `source_id` is personal: a shop that uses emails as source ids ('email-like'), always, or never. */
export type SourceIdPolicy = 'email-like' | 'always' | 'never';

export interface PersonalDataOptions {
  /** The shop's own field names, removed like the customer object's (ERASE_EXTRA_FIELDS). */
  extraFields?: readonly string[];
  sourceId: SourceIdPolicy;
  /** Values already known to be the customer's (from the ledger's profile), looked for in metadata. */
  knownValues?: readonly string[];
}

export interface PersonalData {
  /** JSON paths from the payload's root (keys; array indices as decimal text), each removing one key. */
  paths: string[][];
  /** The customer's values found (lower-cased), to look for elsewhere. */
  values: string[];
}

/**
 * Values of these fields are looked for where a metadata object repeats them: they identify one
 * person. A name does not (two customers share one), so it is removed only from the customer's
 * own objects.
 */
const MATCHED_FIELDS = ['email', 'phone', 'source_id'];

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);
const normal = (value: string) => value.trim().toLowerCase();

export function isPersonalSourceId(sourceId: unknown, policy: SourceIdPolicy): boolean {
  if (typeof sourceId !== 'string' || sourceId === '') return false;
  return policy === 'always' || (policy === 'email-like' && sourceId.includes('@'));
}

/** The personal data of `customerId` in `payload`, as paths to remove (pure; the payload is not changed). */
export function personalDataOf(payload: unknown, customerId: string, options: PersonalDataOptions): PersonalData {
  const fields = new Set<string>([...PERSONAL_FIELDS, ...(options.extraFields ?? [])]);
  const paths: string[][] = [];
  const values = new Set((options.knownValues ?? []).filter((v) => v.length >= 3).map(normal));

  // The customer's own objects: every personal field they carry.
  walk(payload, [], (node, path) => {
    if (!isObject(node) || node.id !== customerId) return;
    for (const [key, value] of Object.entries(node)) {
      const personal = fields.has(key) || (key === 'source_id' && isPersonalSourceId(value, options.sourceId));
      if (!personal) continue;
      paths.push([...path, key]);
      if (MATCHED_FIELDS.includes(key) && typeof value === 'string' && value.trim().length >= 3) values.add(normal(value));
    }
  });
  // Their values repeated in a metadata object (a referrer's email on a voucher, say): the keys of
  // that object holding them. (ledger_erase removes nothing else: a field of an object that is not
  // the customer's, or an element of an array, is not theirs to remove.)
  walk(payload, [], (node, path, parent) => {
    if (typeof node !== 'string' || path.length < 2 || !values.has(normal(node))) return;
    if (path[path.length - 2] === 'metadata' && isObject(parent)) paths.push(path);
  });
  return { paths: withoutNested(paths), values: [...values] };
}

/** Depth-first over every node, with its path and the node holding it; a node's children come after it. Bounded by the ingest's depth and key limits. */
function walk(node: unknown, path: string[], visit: (node: unknown, path: string[], parent: unknown) => void, parent: unknown = undefined): void {
  visit(node, path, parent);
  if (Array.isArray(node)) node.forEach((child, i) => walk(child, [...path, String(i)], visit, node));
  else if (isObject(node)) for (const [key, child] of Object.entries(node)) walk(child, [...path, key], visit, node);
}

/** Each path once, and none inside another (removing `metadata` removes what is in it). */
function withoutNested(paths: string[][]): string[][] {
  const keyOf = (p: string[]) => JSON.stringify(p);
  const sorted = [...new Map(paths.map((p) => [keyOf(p), p])).values()].sort((a, b) => a.length - b.length);
  const kept: string[][] = [];
  for (const p of sorted) if (!kept.some((k) => k.length < p.length && k.every((part, i) => part === p[i]))) kept.push(p);
  return kept;
}

/** The payload without the given paths (what ledger_erase does in SQL, for events redacted as they arrive). */
export function withoutPaths<T>(payload: T, paths: string[][]): T {
  const copy = structuredClone(payload);
  for (const path of paths) {
    let node: unknown = copy;
    for (const part of path.slice(0, -1)) node = Array.isArray(node) ? node[Number(part)] : isObject(node) ? node[part] : undefined;
    if (isObject(node)) delete node[path[path.length - 1]];
  }
  return copy;
}
