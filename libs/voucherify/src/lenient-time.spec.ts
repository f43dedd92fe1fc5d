import fc from 'fast-check';
import { parseLenientTimestamp } from './lenient-time';

describe('parseLenientTimestamp', () => {
  it.each([
    ['2024-05-13T10:24:01.084Z', '2024-05-13T10:24:01.084Z'],
    ['2024-05-13T10: 24: 01.084Z', '2024-05-13T10:24:01.084Z'],
    ['2024-01-18T15:18:39.015000Z', '2024-01-18T15:18:39.015Z'],
    ['2024-01-18T15:27:56.228461Z', '2024-01-18T15:27:56.228Z'],
    // Sub-millisecond digits are cut, never rounded, whatever their value or count.
    ['2024-01-18T15:27:56.228961Z', '2024-01-18T15:27:56.228Z'],
    ['2024-01-18T15:27:56.9999Z', '2024-01-18T15:27:56.999Z'],
    ['2024-01-18T15:27:56.5Z', '2024-01-18T15:27:56.500Z'],
    ['2024-01-18T15:27:56.05Z', '2024-01-18T15:27:56.050Z'],
    ['2024-01-18T15:27:56+02:00', '2024-01-18T13:27:56.000Z'],
    ['2024-01-18T24:00:00.00036Z', '2024-01-19T00:00:00.000Z'],
  ])('parses %j', (raw, iso) => {
    expect(parseLenientTimestamp(raw)?.toISOString()).toBe(iso);
  });

  it.each([
    ['0001-01-01T00:00:00Z', '0001-01-01T00:00:00.000Z'],
    ['9999-12-31T23:59:59.999Z', '9999-12-31T23:59:59.999Z'],
  ])('parses the first and last instants of the years 0001–9999: %j', (raw, iso) => {
    expect(parseLenientTimestamp(raw)?.toISOString()).toBe(iso);
  });

  // PostgreSQL has no year 0 and cannot read JavaScript's `+010000-…`: a read model could not store these.
  it.each(['0000-01-01T00:00:00Z', '0000-12-31T23:59:59.999Z', '9999-12-31T24:00:00Z', '9999-12-31T23:00:00-05:00', '0001-01-01T00:00:00+01:00'])(
    'answers null for %j, outside the years 0001–9999',
    (raw) => {
      expect(parseLenientTimestamp(raw)).toBeNull();
    },
  );

  it.each([undefined, null, 42, '', 'yesterday', '2024-13-45T99:99:99Z', 'x'.repeat(100), {}])(
    'answers null for %j',
    (raw) => {
      expect(parseLenientTimestamp(raw)).toBeNull();
    },
  );

  it('reads 1 to 6 fraction digits as the milliseconds they start with', () => {
    fc.assert(
      fc.property(fc.date({ min: new Date('1970-01-01T00:00:00Z'), max: new Date('9999-12-31T23:59:59Z'), noInvalidDate: true }), fc.stringMatching(/^\d{1,6}$/), (date, fraction) => {
        const raw = date.toISOString().replace(/\.\d{3}Z$/, `.${fraction}Z`);
        const millis = Number(fraction.padEnd(3, '0').slice(0, 3));
        expect(parseLenientTimestamp(raw)?.getTime()).toBe(Math.floor(date.getTime() / 1000) * 1000 + millis);
      }),
    );
  });

  it('reads back every clean UTC timestamp exactly, with or without milliseconds', () => {
    fc.assert(
      fc.property(fc.date({ min: new Date('1970-01-01T00:00:00Z'), max: new Date('9999-12-31T23:59:59Z'), noInvalidDate: true }), (date) => {
        const iso = date.toISOString();
        expect(parseLenientTimestamp(iso)?.getTime()).toBe(date.getTime());
        const seconds = iso.replace(/\.\d{3}Z$/, 'Z');
        expect(parseLenientTimestamp(seconds)?.getTime()).toBe(Math.floor(date.getTime() / 1000) * 1000);
      }),
    );
  });
});
