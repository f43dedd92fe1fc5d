import { createHash, timingSafeEqual } from 'node:crypto';

const digest = (value: string) => createHash('sha256').update(value).digest();

/** The token of an `Authorization: Bearer <token>` header, or ''. */
export function bearerToken(header: string | undefined): string {
  return /^Bearer (.+)$/.exec(header ?? '')?.[1] ?? '';
}

/** Whether `given` is one of `accepted`; every candidate is compared, in constant time, through digests of equal length. */
export function tokenMatches(given: string, accepted: readonly string[]): boolean {
  const givenDigest = digest(given);
  let matched = false;
  for (const token of accepted) if (timingSafeEqual(givenDigest, digest(token))) matched = true;
  return matched;
}
