import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';

/**
 * One way to use the buses (docs/architecture.md): a feature's controller asks the QueryBus
 * (reads) or the CommandBus (changes) and never reaches the database itself; each read is one
 * `x.query.ts` and each change one `x.command.ts`, holding the message and its handler together.
 * Checked on the sources, so a new route cannot quietly skip the bus.
 */
const ROOT = __dirname;
const FEATURES = [
  'ingest',
  'log',
  'event-effects',
  'customers',
  'loyalty-cards',
  'points-ledger',
  'reward-redemptions',
  'voucher-holdings',
  'loyalty-tiers',
  'projector',
  'replay',
  'rejected-deliveries',
  'reconciliation',
];

function files(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? files(join(dir, entry.name)) : [join(dir, entry.name)],
  );
}

const sources = FEATURES.flatMap((feature) => files(join(ROOT, feature))).filter((f) => f.endsWith('.ts') && !f.endsWith('.spec.ts'));
const name = (file: string) => relative(ROOT, file);

describe('the buses convention', () => {
  const controllers = sources.filter((f) => f.endsWith('.controller.ts'));

  it('finds the controllers it checks', () => {
    expect(controllers.map(name).sort()).toEqual(
      expect.arrayContaining(['replay/replay.controller.ts', 'log/events.controller.ts', 'customers/customers.controller.ts']),
    );
  });

  it.each(controllers.map((f) => [name(f), f]))('%s reaches the database only through a bus', (_name, file) => {
    // Types may come from anywhere (an answer's shape); values may not.
    const text = readFileSync(file, 'utf8')
      .split('\n')
      .filter((line) => !line.startsWith('import type '))
      .join('\n');
    expect(text).not.toMatch(/PG_POOL|from 'pg'|event-log\.reader|rebuild-jobs\.service|@QueryHandler|@CommandHandler/);
    expect(text).toMatch(/QueryBus|CommandBus/);
  });

  const messages = sources.filter((f) => /\.(query|command)\.ts$/.test(f));

  it.each(messages.map((f) => [name(f), f]))('%s holds its message and that message\'s handler', (_name, file) => {
    const text = readFileSync(file, 'utf8');
    const message = /export class (\w+) extends (Query|Command)</.exec(text);
    expect(message).not.toBeNull();
    expect(text).toContain(`@${message![2]}Handler(${message![1]})`);
  });

  it('keeps query and command classes and their handlers out of every other file', () => {
    const misplaced = sources.filter((f) => {
      const text = readFileSync(f, 'utf8');
      const declaresMessage = /extends (Query|Command)</.test(text);
      const declaresHandler = /@(Query|Command)Handler\(/.test(text);
      return (declaresMessage || declaresHandler) && !/\.(query|command)\.ts$/.test(f);
    });
    expect(misplaced.map(name)).toEqual([]);
  });
});
