import { ApiProperty } from '@nestjs/swagger';
import { applyDecorators } from '@nestjs/common';
import { Transform } from 'class-transformer';
import { IsInt, Max, Min, ValidateBy, ValidationOptions } from 'class-validator';
import { MAX_SAFE_POSITION, parseDecimal } from './safe-integer';
import { MAX_TEXT_PARAM_LENGTH, textParamProblem } from './safe-text';

/**
 * Property decorators for the query DTOs of the read API: one rule for text and one for
 * integers, used by every route (path parameters go through the pipes beside this file).
 */

/**
 * A text id or filter: a single value, 1..maxLength characters, no NUL or control character.
 * `allowEmpty` keeps the filters that always read `?voucher_id=` as "no filter" doing so.
 */
export function IsSafeText(maxLength = MAX_TEXT_PARAM_LENGTH, { allowEmpty = false } = {}, options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'isSafeText',
      validator: {
        validate: (value) => textParamProblem('value', value, maxLength, allowEmpty) === null,
        defaultMessage: (args) => textParamProblem(args!.property, args!.value, maxLength, allowEmpty) ?? `${args!.property} is invalid`,
      },
    },
    options,
  );
}

/** An integer in plain decimal digits within [min, max] (max at most 2^53 - 1, so it also fits a bigint). */
export function IsBoundedInteger(min: number, max = MAX_SAFE_POSITION): PropertyDecorator {
  return applyDecorators(
    // Documented as an integer (a field's own @ApiPropertyOptional, applied after, keeps this type):
    // without it the document said `object` for `limit = 50`, and a typed client refused numbers.
    ApiProperty({ type: 'integer', required: false }),
    Transform(({ value }) => parseDecimal(value)),
    IsInt({ message: ({ property }) => `${property} must be an integer in plain decimal digits` }),
    Min(min),
    Max(Math.min(max, MAX_SAFE_POSITION)),
  );
}
