import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { chromium, type Browser } from 'playwright-core';

const REPO_ROOT = resolve(__dirname, '../..');

/** Debian's Chromium (`apt-get install chromium`), or the one CHROMIUM_PATH names. */
export function chromiumPath(): string | null {
  const candidates = [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser'].filter((p): p is string => !!p);
  return candidates.find((p) => existsSync(p)) ?? null;
}

/**
 * Whether the browser tests can run here. Without a Chromium they are skipped with one line, except
 * under CI=true, where a missing Chromium fails the run (.ci/run installs it).
 */
export function browserAvailable(): boolean {
  if (chromiumPath()) return true;
  if (process.env.CI === 'true') throw new Error('CI=true but no Chromium: install Debian\'s chromium package or set CHROMIUM_PATH');
  console.log('console browser tests skipped: no Chromium (apt-get install chromium, or set CHROMIUM_PATH)');
  return false;
}

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({ executablePath: chromiumPath()!, headless: true, args: ['--no-sandbox'] });
}

/** Builds the console (Vite) into a folder of its own, for a service started with `consoleDir`. */
export async function buildConsole(): Promise<string> {
  const outDir = mkdtempSync(join(tmpdir(), 'ledger-console-'));
  await promisify(execFile)(process.execPath, [join(REPO_ROOT, 'node_modules/vite/bin/vite.js'), 'build', '--config', 'apps/console/vite.config.ts', '--logLevel', 'error'], {
    cwd: REPO_ROOT,
    env: { ...process.env, CONSOLE_OUT_DIR: outDir, NODE_ENV: 'production' },
  });
  return outDir;
}
