import { CanActivate, ExecutionContext, Injectable, NotFoundException, UnauthorizedException } from '@nestjs/common';
import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import { LedgerConfig } from '../config/ledger-config';

const digest = (value: string) => createHash('sha256').update(value).digest();

/** Admin routes exist only when ADMIN_TOKEN is set, and answer only to `Authorization: Bearer <it>`. */
@Injectable()
export class AdminTokenGuard implements CanActivate {
  constructor(private readonly config: LedgerConfig) {}

  canActivate(context: ExecutionContext): boolean {
    if (!this.config.adminToken) throw new NotFoundException('the admin API is off (ADMIN_TOKEN is not set)');
    const header = context.switchToHttp().getRequest<FastifyRequest>().headers.authorization ?? '';
    const given = /^Bearer (.+)$/.exec(header)?.[1] ?? '';
    // Equal-length digests: the comparison time says nothing about the token.
    if (!timingSafeEqual(digest(given), digest(this.config.adminToken))) throw new UnauthorizedException('a valid admin bearer token is required');
    return true;
  }
}
