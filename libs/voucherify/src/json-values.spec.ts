import { amount, amountOrZero } from './json-values';

describe('amount: never rounded, never silently 0', () => {
  it.each([
    [0, 0],
    [-250, -250],
    [Number.MAX_SAFE_INTEGER, Number.MAX_SAFE_INTEGER],
    [3.0, 3],
    ['42', 42],
    [' -7 ', -7],
    ['9007199254740991', Number.MAX_SAFE_INTEGER],
  ])('reads %j as %j', (value, expected) => {
    expect(amount(value)).toBe(expected);
  });

  it.each([
    ['a fraction', 3.7],
    ['2^53 + 1 (JSON.parse already made it 2^53)', JSON.parse('9007199254740993')],
    ['2^64 + 1', JSON.parse('18446744073709551617')],
    ['1e400 (Infinity)', JSON.parse('1e400')],
    ['NaN', Number.NaN],
    ['digits and letters', '12abc'],
    ['a string past 2^53', '9007199254740993'],
    ['a string of 2^64 + 1', '18446744073709551617'],
    ['a fraction as text', '3.7'],
    ['an empty string', ''],
    ['true', true],
    ['an object', { points: 1 }],
  ])('reads %s as unreadable (null)', (_name, value) => {
    expect(amount(value)).toBeNull();
    expect(amountOrZero(value)).toBeNull();
  });

  it('reads an amount not given as absent, and as 0 where Voucherify leaves zero fields out', () => {
    expect(amount(undefined)).toBeUndefined();
    expect(amount(null)).toBeUndefined();
    expect(amountOrZero(undefined)).toBe(0);
    expect(amountOrZero(null)).toBe(0);
  });
});
