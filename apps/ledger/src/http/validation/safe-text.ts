/**
 * What every id and text filter of the read API must be. PostgreSQL refuses a NUL in text
 * outright (an error, which was a 500), and no id Voucherify issues holds a control character,
 * so both are refused up front with a 400 naming the parameter.
 */
export const MAX_TEXT_PARAM_LENGTH = 255;

// C0 controls (NUL included), DEL and C1 controls.
const CONTROL_CHARACTER = /[\u0000-\u001f\u007f-\u009f]/;

/** Why `value` is not an acceptable text parameter, or null when it is. */
export function textParamProblem(name: string, value: unknown, maxLength = MAX_TEXT_PARAM_LENGTH, allowEmpty = false): string | null {
  if (typeof value !== 'string') return `${name} must be a single text value`;
  if (value.length === 0 && !allowEmpty) return `${name} must not be empty`;
  if (value.length > maxLength) return `${name} must be at most ${maxLength} characters`;
  if (CONTROL_CHARACTER.test(value)) return `${name} must not contain NUL or other control characters`;
  return null;
}
