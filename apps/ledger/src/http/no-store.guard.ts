import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import type { FastifyReply } from 'fastify';

/**
 * `Cache-Control: no-store` on every answer of the read API, refusals included: they carry
 * personal data (names, e-mails, balances) and change with every webhook, so no browser or
 * proxy may keep a copy. A guard that never refuses rather than an interceptor: it runs before
 * anything can fail and costs a plain function call (see MinPositionGuard).
 */
@Injectable()
export class NoStoreGuard implements CanActivate {
  canActivate(context: ExecutionContext): true {
    context.switchToHttp().getResponse<FastifyReply>().header('Cache-Control', 'no-store');
    return true;
  }
}
