import { stringifyIteratively, stringifySafely } from './safe-json';

describe('stringifyIteratively', () => {
  it.each([
    null, true, false, 0, -0, 1.5, 1e21, -1e-7, NaN, Infinity, '', 'a"b\\c\n\u0001\u2028é😀', [], {},
    [1, 'two', null, undefined, () => 1, [3, [4]]],
    { a: 1, b: undefined, c: () => 1, d: { e: [{}] }, 'k"ey': 'v', f: new Date(Date.UTC(2024, 0, 2)) },
    { toJSON: () => ({ replaced: true }) },
    new Date(0),
  ])('writes what JSON.stringify writes for %p', (value) => {
    expect(stringifyIteratively(value)).toBe(JSON.stringify(value));
  });

  it('omits what JSON.stringify omits at the top', () => {
    expect(stringifyIteratively(undefined)).toBeUndefined();
    expect(stringifyIteratively(() => 1)).toBeUndefined();
  });

  it('writes values far deeper than the stack allows, where JSON.stringify overflows', () => {
    let deep: unknown = 'bottom';
    for (let i = 0; i < 200_000; i++) deep = i % 2 ? [deep] : { a: deep };
    expect(() => JSON.stringify(deep)).toThrow(RangeError);
    const text = stringifySafely(deep);
    expect(text.length).toBe(JSON.stringify('bottom').length + 100_000 * ('{"a":}'.length + '[]'.length));
    expect(text.startsWith('[{"a":[{"a":')).toBe(true);
    expect(JSON.parse(text)).toBeTruthy(); // V8's JSON.parse does not recurse
  });

  it('refuses a cycle instead of looping forever', () => {
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    expect(() => stringifyIteratively(cyclic)).toThrow(TypeError);
    expect(() => stringifySafely(cyclic)).toThrow(TypeError);
  });
});
