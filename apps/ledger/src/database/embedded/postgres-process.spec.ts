import { readinessWatcher } from './postgres-process';

const READY_LINE = '2026-12-06 06:57:29.999 UTC [6092] LOG:  database system is ready to accept connections\n';
const REFUSED = (pid: number) => `2026-12-06 06:57:30.001 UTC [${pid}] FATAL:  the database system is starting up\n`;

describe('readinessWatcher: when the embedded server has said it is ready', () => {
  it('sees the ready line followed in the same chunk by clients refused while it started', () => {
    // Seen on a restart under load: three connection attempts logged right after the ready line.
    const saysReady = readinessWatcher();
    expect(saysReady(`${REFUSED(6093)}${READY_LINE}${REFUSED(6096)}${REFUSED(6097)}${REFUSED(6098)}`)).toBe(true);
  });

  it('sees the ready line split across chunks', () => {
    const saysReady = readinessWatcher();
    expect(saysReady(`${REFUSED(1)}${READY_LINE.slice(0, 60)}`)).toBe(false);
    expect(saysReady(`${READY_LINE.slice(60)}${REFUSED(2)}`)).toBe(true);
  });

  it('does not say ready before the line is written', () => {
    const saysReady = readinessWatcher();
    for (const chunk of ['LOG:  starting PostgreSQL 17.6\n', 'LOG:  database system was shut down\n', REFUSED(3)]) {
      expect(saysReady(chunk)).toBe(false);
    }
  });
});
