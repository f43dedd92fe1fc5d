import { signPayload, verifySignature } from './signature';
import { stripJsonWhitespace } from './strip-json-whitespace';

const SECRET = 'a-webhook-secret-of-some-length';

describe('verifySignature', () => {
  it('matches the vector documented by Voucherify', () => {
    const vector = 'a17d2ac229d1ebbb5f10e839c7985c4818e5986eab297f7e5979196d4d7d3ed2';
    expect(signPayload('secretKey', '{"a":1}')).toBe(vector);
    expect(verifySignature(Buffer.from('{"a":1}'), vector, ['secretKey'])).toEqual({ ok: true, status: 'verified' });
  });

  it('accepts a pretty-printed body signed over its whitespace-stripped form', () => {
    const pretty = Buffer.from('{\n  "a": 1,\n  "b": [ 1, 2 ],\n  "c": "keeps  its spaces"\n}');
    const signature = signPayload('secretKey', '{"a":1,"b":[1,2],"c":"keeps  its spaces"}');
    expect(verifySignature(pretty, signature, ['secretKey'])).toEqual({ ok: true, status: 'verified' });
  });

  it('accepts an uppercase hex signature with surrounding spaces', () => {
    const body = Buffer.from('{"a":1}');
    expect(verifySignature(body, ` ${signPayload(SECRET, body).toUpperCase()} `, [SECRET]).ok).toBe(true);
  });

  it('refuses a signature made with another secret', () => {
    const body = Buffer.from('{"a":1}');
    expect(verifySignature(body, signPayload('another-secret-entirely', body), [SECRET])).toEqual({
      ok: false,
      reason: 'invalid_signature',
    });
  });

  it('refuses a body changed after signing', () => {
    const signature = signPayload(SECRET, '{"a":1}');
    expect(verifySignature(Buffer.from('{"a":2}'), signature, [SECRET]).ok).toBe(false);
  });

  it('refuses missing, truncated and non-hex signatures', () => {
    const body = Buffer.from('{"a":1}');
    const good = signPayload(SECRET, body);
    expect(verifySignature(body, undefined, [SECRET])).toEqual({ ok: false, reason: 'missing_signature' });
    expect(verifySignature(body, '', [SECRET])).toEqual({ ok: false, reason: 'missing_signature' });
    expect(verifySignature(body, good.slice(0, 63), [SECRET]).ok).toBe(false);
    expect(verifySignature(body, `${good}00`, [SECRET]).ok).toBe(false);
    expect(verifySignature(body, 'z'.repeat(64), [SECRET]).ok).toBe(false);
  });

  it('accepts any of several secrets, so a secret can be rotated without downtime', () => {
    const body = Buffer.from('{"a":1}');
    const secrets = ['old-secret-being-retired', 'new-secret-being-rolled-out'];
    expect(verifySignature(body, signPayload(secrets[0], body), secrets).ok).toBe(true);
    expect(verifySignature(body, signPayload(secrets[1], body), secrets).ok).toBe(true);
    expect(verifySignature(body, signPayload('third-secret-not-configured', body), secrets).ok).toBe(false);
  });

  it('marks payloads unsigned when no secret is configured', () => {
    expect(verifySignature(Buffer.from('{}'), undefined, [])).toEqual({ ok: true, status: 'unsigned' });
  });
});

describe('stripJsonWhitespace', () => {
  it('removes whitespace outside strings only, escaped quotes included', () => {
    const raw = Buffer.from('{ "a" : "x \\" y" ,\r\n\t"b" : [ 1 , 2 ] }');
    expect(stripJsonWhitespace(raw).toString()).toBe('{"a":"x \\" y","b":[1,2]}');
  });

  it('keeps multi-byte characters and escaped backslashes intact', () => {
    const raw = Buffer.from('{ "a" : "é \\\\" , "b" : "😀 " }');
    expect(stripJsonWhitespace(raw).toString()).toBe('{"a":"é \\\\","b":"😀 "}');
  });
});
