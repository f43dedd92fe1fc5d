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

describe('checkJsonShape: what the log cannot store (jsonb refuses it)', () => {
  const roomy = (text: string) => checkJsonShape(Buffer.from(text), { maxDepth: 64, maxKeys: 1000 });
  const refused = (text: string) => expect([text.slice(0, 40), roomy(text)]).toEqual([text.slice(0, 40), expect.objectContaining({ ok: false, unstorable: true })]);
  const accepted = (text: string) => expect([text.slice(0, 40), roomy(text)]).toEqual([text.slice(0, 40), { ok: true }]);

  it('refuses U+0000 and lone surrogate escapes, in values and keys', () => {
    refused('{"a":"x\\u0000y"}');
    refused('{"\\u0000":1}');
    refused('{"a":"\\ud800"}');
    refused('{"a":"\\ud800x"}');
    refused('{"a":"\\udc00"}');
    accepted('{"a":"\\ud83d\\ude00 \\u00e9 \\u0001"}');
    // An escaped backslash followed by the text u0000 is not an escape of U+0000.
    accepted('{"a":"\\\\u0000"}');
  });

  it('refuses numbers past what numeric holds, and takes every ordinary one', () => {
    refused(`{"a":1e${1001}}`);
    refused(`{"a":-2.5E-${1001}}`);
    refused(`{"a":${'9'.repeat(1001)}}`);
    accepted(`{"a":[1,-2.5,3e10,4E-7,0.0001,${'9'.repeat(1000)},1e1000],"true":true,"false":false,"n":null}`);
    // Inside a string, a number's text is only text.
    accepted(`{"a":"1e99999 ${'9'.repeat(2000)}"}`);
  });
});
