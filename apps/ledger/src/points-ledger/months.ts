/* Calendar months in UTC, as the triangle and the closings name them (`YYYY-MM`). */

/** Months as integers (year × 12 + month − 1): `2024-01` ⇄ 24288, so months add and compare as numbers. */
export const monthIndex = (month: string) => Number(month.slice(0, 4)) * 12 + Number(month.slice(5, 7)) - 1;
export const monthName = (index: number) => `${Math.floor(index / 12)}-${String((index % 12) + 1).padStart(2, '0')}`;
/** The month's first instant, ISO. */
export const monthStart = (index: number) => `${monthName(index)}-01T00:00:00.000Z`;
/** The month an ISO time falls in (UTC). */
export const monthOf = (iso: string) => monthIndex(new Date(iso).toISOString().slice(0, 7));
