import { checkJsonShape } from './json-shape';

const limits = { maxDepth: 4, maxKeys: 3 };
const check = (text: string) => checkJsonShape(Buffer.from(text), limits);

describe('checkJsonShape', () => {
  it('accepts a body within the limits', () => {
    expect(check('{"a":{"b":[1,[2]]},"c":"x"}')).toEqual({ ok: true });
  });

  it('refuses a body nested past the depth limit, arrays and objects alike', () => {
    expect(check('{"a":[[[[1]]]]}')).toEqual({ ok: false, problem: 'the body is nested more than 4 levels deep' });
    expect(check('[[[[[]]]]]')).toMatchObject({ ok: false });
  });

  it('refuses a body with more keys than allowed', () => {
    expect(check('{"a":1,"b":2,"c":3,"d":4}')).toEqual({ ok: false, problem: 'the body has more than 3 keys' });
  });

  it('ignores brackets, colons and escaped quotes inside strings', () => {
    expect(check('{"a":"[[[[[[{{{{:::::\\"[[[[[["}')).toEqual({ ok: true });
  });

  it('measures depth, not the number of containers', () => {
    expect(check('[[1],[2],[3],[4],[5],[6],[7],[8]]')).toEqual({ ok: true });
  });

  it('stops at the first level past the limit on a huge body', () => {
    const deep = Buffer.from('['.repeat(1_000_000));
    expect(checkJsonShape(deep, { maxDepth: 64, maxKeys: 10 })).toMatchObject({ ok: false });
  });
});
