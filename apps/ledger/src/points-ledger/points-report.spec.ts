import type { CampaignReportDto } from './ledger.dto';
import { emptyReport, pointsReportCsv } from './points-report';

const campaign = (overrides: Partial<CampaignReportDto>): CampaignReportDto => ({
  campaign_id: 'camp_1',
  campaign_name: 'Coffee',
  opening_balance: 100,
  movements: emptyReport(null).movements,
  closing_balance: 100,
  cards: 1,
  breakage_rate: null,
  currency: 'EUR',
  opening_liability: '1.0000',
  closing_liability: '1.0000',
  pending: { opening: 40, added: 100, updated: -10, cancelled: -20, activated: -70, unexplained: 0, written_off: 0, closing: 40 },
  prior_period_adjustments: [],
  deferred_revenue: null,
  ...overrides,
});

describe('pointsReportCsv', () => {
  const rows = (csv: string) => csv.trimEnd().split('\r\n');

  it('writes a header and one row per campaign, figures as they are (a negative movement stays a number)', () => {
    const csv = pointsReportCsv({ from: 'F', to: 'T', expiry_basis: 'booked', period: null, campaigns: [campaign({ movements: { ...campaign({}).movements, expired: -30 } })] });
    const [header, row] = rows(csv);
    const fields = Object.fromEntries(header.split(',').map((name, i) => [name, row.split(',')[i]]));
    expect(fields).toMatchObject({ campaign_id: 'camp_1', from: 'F', to: 'T', expiry_basis: 'booked', expired: '-30', closing_liability: '1.0000', breakage_rate: '' });
    // The pending ledger's figures beside the points', its activations apart from the points' pending_activated.
    expect(fields).toMatchObject({ pending_opening: '40', pending_added: '100', pending_updated: '-10', pending_cancelled: '-20', pending_activated_out: '-70', pending_closing: '40', pending_activated: '0' });
  });

  it('quotes commas and quotes, and keeps a campaign name from running as a spreadsheet formula', () => {
    const csv = pointsReportCsv({ from: 'F', to: 'T', expiry_basis: 'booked', period: null, campaigns: [campaign({ campaign_name: '=HYPERLINK("http://x","a,b")' })] });
    expect(rows(csv)[1]).toContain(`"'=HYPERLINK(""http://x"",""a,b"")"`);
    for (const start of ['+', '-', '@']) {
      expect(rows(pointsReportCsv({ from: 'F', to: 'T', expiry_basis: 'booked', period: null, campaigns: [campaign({ campaign_name: `${start}1` })] }))[1]).toContain(`'${start}1`);
    }
  });
});
