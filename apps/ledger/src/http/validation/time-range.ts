import { BadRequestException } from '@nestjs/common';

export interface TimeRange {
  from: Date;
  to: Date;
}

/**
 * `from`/`to` of an overview (counts per minute): `to` defaults to now, `from` to `defaultSpanMs`
 * before `to`, and a range longer than `maxSpanMs` is refused (400) so no query can ask for an
 * unbounded number of minutes. Both come canonical from @IsTimeParam.
 */
export function boundedTimeRange(from: string | undefined, to: string | undefined, defaultSpanMs: number, maxSpanMs: number): TimeRange {
  const end = to === undefined ? new Date() : new Date(to);
  const start = from === undefined ? new Date(end.getTime() - defaultSpanMs) : new Date(from);
  if (start.getTime() >= end.getTime()) throw new BadRequestException('from must be before to');
  if (end.getTime() - start.getTime() > maxSpanMs) {
    throw new BadRequestException(`from and to must be at most ${maxSpanMs / 3_600_000} hours apart`);
  }
  return { from: start, to: end };
}
