import { canonicalEventType } from '../../libs/voucherify/src';
import { evolveLedger, CardLedger } from '../../libs/projections/src/points-ledger/ledger.read-model';
import { projectedEvent } from '../../libs/projections/src/test-events';
import type { CardTruth, Webhook } from './ledger-truth';

/**
 * The ledger's pure fold over delivered webhooks, card by card, as the projection does (one
 * document per card), with no database: what the service's ledger must equal, whatever its batches.
 * A campaign's deletion names no card: it is given each card of the campaign, as the read model's
 * beforeLoad (the cards it knows) and load (a card first seen later finds its campaign's deletion) do.
 */
export function foldDeliveries(deliveries: Webhook[], cards: Pick<CardTruth, 'voucherId' | 'campaignId'>[]): Map<string, CardLedger> {
  const ledgers = new Map<string, CardLedger>();
  for (const w of deliveries) {
    const event = projectedEvent(canonicalEventType(w.type), w.data, w.createdAt, w.eventId);
    const campaign = w.type === 'campaign.deleted' ? (w.data.campaign as { id: string }).id : null;
    for (const { voucherId, campaignId } of cards) {
      if (campaign !== null && campaign !== campaignId) continue;
      const next = evolveLedger(ledgers.get(voucherId), event, voucherId);
      if (next.transactions.length + next.observations.length > 0 || next.deletion) ledgers.set(voucherId, next);
    }
  }
  return ledgers;
}
