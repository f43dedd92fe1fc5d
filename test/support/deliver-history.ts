import type { GeneratedHistory } from './loyalty-history';
import { toEnvelope } from './loyalty-history';
import type { Pool } from 'pg';
import { postWebhook } from './voucherify';
import { getJson } from './read-api';
import { dumpReadModels } from './read-model-dump';

/** Delivers a generated history (or any generated events) to the service, shuffled with duplicates (deterministic for a seed). */
export async function deliverShuffled(baseUrl: string, history: Pick<GeneratedHistory, 'events'>, seed = 1): Promise<number> {
  const order = history.events.map((_, i) => i);
  let state = seed;
  const random = () => ((state = (state * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
  for (let i = order.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [order[i], order[j]] = [order[j], order[i]];
  }
  const withDuplicates = [...order, ...order.filter((_, i) => i % 3 === 0)];
  let head = 0;
  for (const index of withDuplicates) {
    const response = await postWebhook(baseUrl, JSON.stringify(toEnvelope(history.events[index], `whs_${index}_${head}`)));
    if (response.status !== 202 && response.status !== 200) throw new Error(`delivery refused: ${response.status} ${response.text}`);
    head = Math.max(head, response.json.position);
  }
  return head;
}

/**
 * Delivers a generated history shuffled, waits until the read models have applied it (through the
 * first customer's read), and dumps them: the live result a rebuild must equal.
 */
export async function deliverAndDump(baseUrl: string, pool: Pool, history: GeneratedHistory, seed: number): Promise<{ head: number; live: Record<string, string[]> }> {
  const head = await deliverShuffled(baseUrl, history, seed);
  const answer = await getJson(baseUrl, `/customers/${history.cards[0].customerId}`, head);
  if (answer.status !== 200) throw new Error(`the read models did not apply the history: ${answer.status}`);
  return { head, live: await dumpReadModels(pool) };
}
