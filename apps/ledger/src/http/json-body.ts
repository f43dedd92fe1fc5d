import { BadRequestException } from '@nestjs/common';
import { plainToInstance } from 'class-transformer';
import { validate, ValidationError } from 'class-validator';

const flatten = (errors: ValidationError[]): string[] =>
  errors.flatMap((e) => [...Object.values(e.constraints ?? {}), ...flatten(e.children ?? [])]);

/**
 * The JSON body of a route, validated into `type`. Bodies reach routes as raw bytes (the webhook
 * needs them exactly as sent: raw-json-body.ts), so a route that takes JSON parses and checks it
 * here, with the same rules the query DTOs get from the global ValidationPipe.
 */
export async function jsonBody<T extends object>(raw: unknown, type: new () => T): Promise<T> {
  let plain: unknown;
  try {
    plain = JSON.parse(Buffer.isBuffer(raw) ? raw.toString('utf8') : String(raw ?? ''));
  } catch {
    throw new BadRequestException('the body must be a JSON object');
  }
  if (typeof plain !== 'object' || plain === null || Array.isArray(plain)) throw new BadRequestException('the body must be a JSON object');
  const instance = plainToInstance(type, plain);
  const problems = flatten(await validate(instance, { whitelist: true, forbidNonWhitelisted: true }));
  if (problems.length > 0) throw new BadRequestException(problems);
  return instance;
}
