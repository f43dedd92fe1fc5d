import { CanActivate, ExecutionContext, Injectable, NotFoundException, UnauthorizedException } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { LedgerConfig } from '../config/ledger-config';
import { bearerToken, tokenMatches } from './bearer-token';

/** Admin routes exist only when ADMIN_TOKEN is set, and answer only to `Authorization: Bearer <it>`. */
@Injectable()
export class AdminTokenGuard implements CanActivate {
  constructor(private readonly config: LedgerConfig) {}

  canActivate(context: ExecutionContext): boolean {
    if (!this.config.adminToken) throw new NotFoundException('the admin API is off (ADMIN_TOKEN is not set)');
    const given = bearerToken(context.switchToHttp().getRequest<FastifyRequest>().headers.authorization);
    if (!tokenMatches(given, [this.config.adminToken])) throw new UnauthorizedException('a valid admin bearer token is required');
    return true;
  }
}
