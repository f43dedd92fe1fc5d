import { withCpuPerRequest } from './cpu';
import { load } from './load';
import { webhookRequest } from './payloads';

/**
 * The most signed webhooks per second an endpoint takes (64 connections, unique events, after a
 * 2 s warm-up), with the CPU per webhook of the server (`pid`), PostgreSQL and the generator.
 */
export async function measureMaxWebhooks(target: string, pid: number, seconds: number) {
  await load({ url: target, method: 'POST', connections: 32, durationSeconds: 2, request: webhookRequest });
  return withCpuPerRequest(pid, () => load({ url: target, method: 'POST', connections: 64, durationSeconds: seconds, request: webhookRequest }));
}
