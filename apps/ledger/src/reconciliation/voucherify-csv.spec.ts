import { readExportCsv } from './voucherify-csv';

describe('readExportCsv', () => {
  it('matches headers to fields ignoring case, spaces and underscores, and keeps quoted commas, quotes and newlines', () => {
    const text = '\uFEFFID,Voucher ID,Created At,Details,Unasked\r\nvtx_1,v_1,2024-01-01T00:00:00.000Z,"{""balance"":{""points"":5}, ""note"":""a,b\nc""}",x\r\n';
    expect(readExportCsv(text, ['id', 'voucher_id', 'created_at', 'details'])).toEqual([
      { id: 'vtx_1', voucher_id: 'v_1', created_at: '2024-01-01T00:00:00.000Z', details: '{"balance":{"points":5}, "note":"a,b\nc"}' },
    ]);
  });

  it('reads a header-only file as no rows', () => {
    expect(readExportCsv('ID,Code\n', ['id', 'code'])).toEqual([]);
  });
});
