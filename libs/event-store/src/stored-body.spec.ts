import { sameJson } from './stored-body';

describe('sameJson: the same JSON as jsonb equality says it', () => {
  it('ignores key order and the sign of zero, and nothing else', () => {
    expect(sameJson(JSON.parse('{"a":1,"b":{"c":[1,2]}}'), JSON.parse('{"b":{"c":[1,2]},"a":1.0}'))).toBe(true);
    expect(sameJson(JSON.parse('{"a":-0}'), JSON.parse('{"a":0}'))).toBe(true);
    expect(sameJson(JSON.parse('{"a":[1,2]}'), JSON.parse('{"a":[2,1]}'))).toBe(false);
    expect(sameJson(JSON.parse('{"a":1}'), JSON.parse('{"a":1,"b":null}'))).toBe(false);
    expect(sameJson(JSON.parse('{"a":"1"}'), JSON.parse('{"a":1}'))).toBe(false);
    expect(sameJson(JSON.parse('{"a":{}}'), JSON.parse('{"a":[]}'))).toBe(false);
    expect(sameJson(null, JSON.parse('{}'))).toBe(false);
  });

  it('compares values nested far deeper than the call stack goes', () => {
    const deep = (leaf: string) => JSON.parse(`${'['.repeat(100_000)}${leaf}${']'.repeat(100_000)}`);
    expect(sameJson(deep('1'), deep('1'))).toBe(true);
    expect(sameJson(deep('1'), deep('2'))).toBe(false);
  });
});
