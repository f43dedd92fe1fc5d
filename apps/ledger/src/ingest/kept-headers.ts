import type { IncomingHttpHeaders } from 'node:http';

/** Request headers stored with each event and each refusal; nothing else is kept. */
export const SIGNATURE_HEADER = 'x-voucherify-signature';
export const KEPT_HEADERS = ['content-type', 'user-agent', SIGNATURE_HEADER] as const;

export function pickKeptHeaders(headers: IncomingHttpHeaders): Record<string, string> {
  const kept: Record<string, string> = {};
  for (const name of KEPT_HEADERS) {
    const value = headers[name];
    if (typeof value === 'string') kept[name] = value.slice(0, 512);
  }
  return kept;
}
