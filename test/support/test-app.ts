import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { LedgerConfig, loadConfig } from '../../apps/ledger/src/config/ledger-config';
import { createApp } from '../../apps/ledger/src/create-app';

export interface TestApp {
  app: NestFastifyApplication;
  baseUrl: string;
  close(): Promise<void>;
}

/** The real service on a random local port, configured only by `overrides` (not the machine's env). */
export async function startTestApp(databaseUrl: string, overrides: Partial<LedgerConfig> = {}): Promise<TestApp> {
  // The fake Voucherify counts every call: the scheduled read of point buckets runs only where a test asks for it.
  const config = loadConfig({}, { nodeEnv: 'test', logLevel: 'silent', port: 0, databaseUrl, expiringPointsRefreshHours: 0, ...overrides });
  const app = await createApp(config);
  await app.listen(0, '127.0.0.1');
  const address = app.getHttpServer().address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return { app, baseUrl: `http://127.0.0.1:${port}`, close: () => app.close() };
}
