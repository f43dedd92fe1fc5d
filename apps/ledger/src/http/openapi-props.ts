import { applyDecorators } from '@nestjs/common';
import { ApiExtraModels, ApiProperty, ApiPropertyOptional, ApiPropertyOptions, getSchemaPath } from '@nestjs/swagger';

/**
 * Property decorators of the response DTOs, so every answer field is described the same precise
 * way: integers as `integer`, times as `date-time`, and null spelled out where a field can be
 * null (a typed client generated from the document, e.g. by openapi-typescript, is then exact).
 */
interface Extra {
  example?: unknown;
  pattern?: string;
  format?: string;
  minimum?: number;
}

const property = (options: Record<string, unknown>) => ApiProperty(options as ApiPropertyOptions);

export const Text = (description?: string, extra: Extra = {}) => property({ type: String, description, ...extra });
export const NullableText = (description?: string, extra: Extra = {}) => property({ type: String, nullable: true, description, ...extra });
export const Int = (description?: string, extra: Extra = {}) => property({ type: 'integer', description, ...extra });
export const NullableInt = (description?: string, extra: Extra = {}) => property({ type: 'integer', nullable: true, description, ...extra });
export const Num = (description?: string) => ApiProperty({ type: Number, description });
export const NullableNum = (description?: string) => ApiProperty({ type: Number, nullable: true, description });
export const Bool = (description?: string) => ApiProperty({ type: Boolean, description });
export const NullableBool = (description?: string) => ApiProperty({ type: Boolean, nullable: true, description });
export const Time = (description?: string) => ApiProperty({ type: String, format: 'date-time', description });
export const NullableTime = (description?: string) => ApiProperty({ type: String, format: 'date-time', nullable: true, description });
export const Enum = (values: readonly string[], description?: string) => ApiProperty({ enum: [...values], description });
export const NullableEnum = (values: readonly string[], description?: string) => ApiProperty({ enum: [...values], nullable: true, description });
export const TextList = (description?: string) => ApiProperty({ type: [String], description });
/** Any JSON object (a payload's part, passed through as Voucherify sent it). */
export const AnyObject = (description?: string) => ApiProperty({ type: 'object', additionalProperties: true, description });
export const NullableAnyObject = (description?: string) => ApiProperty({ type: 'object', additionalProperties: true, nullable: true, description });
export const TextMap = (description?: string) => ApiProperty({ type: 'object', additionalProperties: { type: 'string' }, description });
/**
 * A nested DTO, named lazily (classes declared further down a file). Swagger tells a lazy type
 * from a class by the function's name, `type`: hence the arrow written as the property itself.
 */
export const Nested = (dto: () => Function, description?: string) => ApiProperty({ type: () => dto(), description });
/**
 * A nested DTO or null. OpenAPI 3.0 reads `nullable` only beside a `type`, and Swagger writes a
 * nullable nested DTO as `{ nullable: true, allOf: [$ref] }` with none: a strict reader (a linter,
 * a validator) takes that as never null. So: one of the DTO, or the null value (an object schema
 * whose only value is null), which typed clients read as `Dto | null`. The class itself is given,
 * not a function (the $ref needs its name when the decorator runs, so it is declared above), and
 * it is registered as a model of the holder, so its schema is in the document.
 */
export const NullableNested =
  (dto: abstract new (...args: never[]) => object, description?: string): PropertyDecorator =>
  (target, key) => {
    ApiExtraModels(dto)(target.constructor);
    ApiProperty({ oneOf: [{ $ref: getSchemaPath(dto) }, { type: 'object', nullable: true, enum: [null] }], description })(target, key);
  };
export const NestedList = (dto: () => Function, description?: string) => ApiProperty({ type: () => dto(), isArray: true, description });
export const OptionalText = (description?: string) => ApiPropertyOptional({ type: String, description });
/**
 * A flag that is `true` when present, absent otherwise: a boolean whose one value is true.
 * ApiProperty types an enum from its values (a number, unless one is a string), so the boolean
 * type is set by a second ApiProperty, which Swagger merges over the first.
 */
export const OptionalTrue = (description?: string) =>
  applyDecorators(ApiPropertyOptional({ enum: [true], description }), ApiProperty({ type: 'boolean' }));
