import { applyDecorators } from '@nestjs/common';
import { Transform } from 'class-transformer';
import { ValidateBy } from 'class-validator';
import { parseLenientTimestamp } from '@ledger/voucherify';

/**
 * An ISO 8601 time in a query (`as_of`, `from`, `to`), turned into its canonical UTC form.
 * Years 0001..9999 only: PostgreSQL and JavaScript share those, and the ledger stores nothing
 * else. Anything else answers 400.
 */
export function timeParamProblem(name: string, value: unknown): string | null {
  if (typeof value !== 'string' || value.length === 0 || value.length > 64) return `${name} must be an ISO 8601 time`;
  const parsed = parseLenientTimestamp(value);
  if (!parsed) return `${name} must be an ISO 8601 time (for example 2024-05-01T00:00:00Z)`;
  const year = parsed.getUTCFullYear();
  if (year < 1 || year > 9999) return `${name} must lie in the years 0001 to 9999`;
  return null;
}

export function IsTimeParam(): PropertyDecorator {
  return applyDecorators(
    ValidateBy({
      name: 'isTimeParam',
      validator: {
        validate: (value) => timeParamProblem('value', value) === null,
        defaultMessage: (args) => timeParamProblem(args!.property, args!.value) ?? `${args!.property} is invalid`,
      },
    }),
    // Runs before validation (class-transformer), so it keeps what it cannot read for the message above.
    Transform(({ value }) => (timeParamProblem('value', value) === null ? parseLenientTimestamp(value)!.toISOString() : value)),
  );
}

// The form Date#toISOString gives for the years PostgreSQL's timestamptz shares with JavaScript
// and that the ledger stores (0001..9999). JavaScript also reads year 0 and six-digit years
// (+275760-09-13), which PostgreSQL refuses.
const ISSUED_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

/** A time inside a cursor this API issued: exactly toISOString's form, years 0001..9999. */
export const isIssuedTime = (at: unknown): at is string =>
  typeof at === 'string' && ISSUED_TIME.test(at) && !at.startsWith('0000') && new Date(at).toISOString() === at;
