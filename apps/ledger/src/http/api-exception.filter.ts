import { ArgumentsHost, Catch, ExceptionFilter, Logger } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { toApiError } from './api-error';
import { sendApiError } from './send-api-error';

/**
 * The one place errors of Nest's routes become HTTP answers. The webhook route is not a Nest
 * route (see ingest/webhook.route.ts); its refusals are answered by WebhookRefusals (ingest/webhook-refusals.ts).
 */
@Catch()
export class ApiExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('HttpError');

  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const { url } = http.getRequest<FastifyRequest>();
    sendApiError(http.getResponse<FastifyReply>(), toApiError(exception), exception, this.logger, { url });
  }
}
