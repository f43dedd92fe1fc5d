import fc from 'fast-check';

/** Events of one document with distinct ids (`ev_000` to `ev_999`), 1 to `maxLength` of them, each with the fields `fields` draws. */
export const distinctEvents = <T extends object>(maxLength: number, fields: fc.Arbitrary<T>): fc.Arbitrary<(T & { eventId: string })[]> =>
  fc
    .uniqueArray(fc.integer({ min: 0, max: 999 }), { minLength: 1, maxLength })
    .chain((ids) => fc.tuple(...ids.map((id) => fields.map((f) => ({ eventId: `ev_${String(id).padStart(3, '0')}`, ...f })))));
