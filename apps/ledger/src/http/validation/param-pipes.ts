import { ArgumentMetadata, BadRequestException, Injectable, Param, PipeTransform } from '@nestjs/common';
import { MAX_SAFE_POSITION, parseBoundedInteger } from './safe-integer';
import { textParamProblem } from './safe-text';
import { MONTH_PATTERN } from '@ledger/projections';

/**
 * Path parameters of the read and admin routes. Nest's ValidationPipe skips plain strings, so
 * ids are checked here with the same rule as the query DTOs: a malformed id is a 400, a
 * well-formed unknown one a 404 (from the route), never a database error.
 */
@Injectable()
export class SafeTextParamPipe implements PipeTransform<unknown, string> {
  transform(value: unknown, metadata: ArgumentMetadata): string {
    const problem = textParamProblem(metadata.data ?? 'parameter', value);
    if (problem) throw new BadRequestException(problem);
    return value as string;
  }
}

/** A positive integer id (bigserial), bounded to what a bigint and a JavaScript number both hold. */
@Injectable()
export class PositiveIdParamPipe implements PipeTransform<unknown, number> {
  transform(value: unknown, metadata: ArgumentMetadata): number {
    const id = parseBoundedInteger(value, 1);
    if (id === null) throw new BadRequestException(`${metadata.data ?? 'id'} must be an integer between 1 and ${MAX_SAFE_POSITION}`);
    return id;
  }
}

/** `@SafeTextParam('id')`: a path id checked by SafeTextParamPipe. */
export const SafeTextParam = (name: string): ParameterDecorator => Param(name, SafeTextParamPipe);

/** A calendar month, `YYYY-MM`. */
@Injectable()
export class MonthParamPipe implements PipeTransform<unknown, string> {
  transform(value: unknown, metadata: ArgumentMetadata): string {
    if (typeof value !== 'string' || !MONTH_PATTERN.test(value)) throw new BadRequestException(`${metadata.data ?? 'month'} must be a month such as 2024-01`);
    return value;
  }
}

/** `@MonthParam('month')`: a path month checked by MonthParamPipe. */
export const MonthParam = (name: string): ParameterDecorator => Param(name, MonthParamPipe);
