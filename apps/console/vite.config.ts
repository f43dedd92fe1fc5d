import { resolve } from 'node:path';
import { defineConfig } from 'vite';

/**
 * The console is served by the service at /console (apps/ledger/src/console/console-static.ts).
 * Everything is bundled (the shops' machines are offline, no CDN), into hashed files with no
 * inline script or style, so the strict Content-Security-Policy of /console holds.
 * JSX is compiled by esbuild (React's automatic runtime); no dev-only plugin is needed.
 */
export default defineConfig({
  root: __dirname,
  base: '/console/',
  esbuild: { jsx: 'automatic' },
  build: {
    outDir: process.env.CONSOLE_OUT_DIR ?? resolve(__dirname, '../../dist/console'),
    emptyOutDir: true,
    assetsInlineLimit: 0, // no data: URLs for assets
    modulePreload: { polyfill: false }, // every supported browser has it; keeps index.html free of inline code
    chunkSizeWarningLimit: 1024,
    rollupOptions: {
      onwarn(warning, warn) {
        // React libraries mark modules "use client" for server-component bundlers; meaningless in a browser bundle.
        if (warning.code === 'MODULE_LEVEL_DIRECTIVE') return;
        warn(warning);
      },
    },
  },
  server: {
    // `npx vite apps/console` for work on the console: the API of a service on :3000 behind it.
    proxy: Object.fromEntries(
      ['/events', '/customers', '/loyalty-cards', '/gaps', '/reports', '/projections', '/admin', '/vouchers', '/reward-redemptions', '/health', '/docs-json'].map(
        (path) => [path, 'http://localhost:3000'],
      ),
    ),
  },
});
