import { CanActivate, ExecutionContext, Injectable, UnauthorizedException } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { LedgerConfig } from '../config/ledger-config';
import { bearerToken, tokenMatches } from './bearer-token';

/**
 * With READ_TOKENS set, the read API answers only to `Authorization: Bearer <one of them>`, or to
 * the admin token: whoever may rebuild and retry may also read (the console signs in with one token).
 */
@Injectable()
export class ReadTokenGuard implements CanActivate {
  constructor(private readonly config: LedgerConfig) {}

  canActivate(context: ExecutionContext): boolean {
    if (this.config.readTokens.length === 0) return true;
    const given = bearerToken(context.switchToHttp().getRequest<FastifyRequest>().headers.authorization);
    const accepted = this.config.adminToken ? [...this.config.readTokens, this.config.adminToken] : this.config.readTokens;
    if (!tokenMatches(given, accepted)) throw new UnauthorizedException('a valid read bearer token is required');
    return true;
  }
}
