import { execSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';

export const PEERS_DIR = __dirname;

/** The peers' own dependencies (bench/peers/package.json), installed on first use, never in the service's. */
export function ensurePeersInstalled(log: (line: string) => void): void {
  if (existsSync(resolve(PEERS_DIR, 'node_modules/@event-driven-io/emmett-postgresql/package.json'))) return;
  log('installing the peers (bench/peers, first use)');
  execSync('npm ci --no-audit --no-fund', { cwd: PEERS_DIR, stdio: 'inherit' });
}
