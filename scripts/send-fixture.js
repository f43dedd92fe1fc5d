#!/usr/bin/env node
/**
 * Wraps one of the Voucherify fixtures in a v2024-01-01 envelope, signs it like Voucherify does
 * and sends it to the ledger. Usage:
 *   node scripts/send-fixture.js <fixture.data.json> [url]
 * Signs with the first secret of VOUCHERIFY_WEBHOOK_SECRETS when set; otherwise sends unsigned.
 */
const { createHmac, randomBytes } = require('node:crypto');
const { readFileSync } = require('node:fs');
const { basename } = require('node:path');

async function main() {
  const [file, url = 'http://localhost:3000/webhooks/voucherify'] = process.argv.slice(2);
  if (!file) {
    console.error('usage: node scripts/send-fixture.js <fixture.data.json> [url]');
    process.exit(2);
  }
  const type = basename(file).replace(/\.data\.json$/, '');
  const now = new Date().toISOString();
  const body = JSON.stringify({
    id: `whs_${randomBytes(9).toString('hex')}`,
    project_id: 'proj_local',
    created_at: now,
    type,
    data: JSON.parse(readFileSync(file, 'utf8')),
    source: { id: 'wh_local', object: 'webhook', target_url: url },
    event: { id: `evlocal_${randomBytes(9).toString('hex')}`, type, created_at: now },
  });
  const headers = { 'content-type': 'application/json' };
  const secret = (process.env.VOUCHERIFY_WEBHOOK_SECRETS || '').split(',')[0].trim();
  if (secret) headers['x-voucherify-signature'] = createHmac('sha256', secret).update(body).digest('hex');
  const response = await fetch(url, { method: 'POST', headers, body });
  console.log(response.status, await response.text());
}

main().catch((error) => {
  console.error(error.message);
  process.exit(1);
});
