/**
 * What an operator sets for a campaign before reading its reports: a point value (the liability)
 * and a revenue estimate (the deferred revenue), both from 1 January 2024. Answers the log
 * position of the last one.
 */
export async function setCampaignSettings(baseUrl: string, adminToken: string, campaignId: string): Promise<number> {
  const settings: [string, unknown][] = [
    ['point-value', { value: '0.0100', currency: 'EUR', effective_from: '2024-01-01T00:00:00Z' }],
    ['revenue-estimate', { value_per_point: '0.0100', expected_redemption_share: '0.80', currency: 'EUR', effective_from: '2024-01-01T00:00:00Z' }],
  ];
  let position = 0;
  for (const [setting, body] of settings) {
    const answer = await fetch(`${baseUrl}/admin/campaigns/${campaignId}/${setting}`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${adminToken}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    if (answer.status !== 200) throw new Error(`${setting} refused: ${answer.status} ${await answer.text()}`);
    position = Math.max(position, ((await answer.json()) as { position: number }).position);
  }
  return position;
}
