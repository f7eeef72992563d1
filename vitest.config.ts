// Test projects: edge code in the edge-runtime environment and again in Node, the tools (local endpoint, CLIs) in Node,
// the production build over HTTP (API and browser), and the proof under hostile input, races and faults.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { defaultServerConditions } from 'vite';
import { defineConfig, type Plugin } from 'vitest/config';

/** Loads `*.wasm?module` imports (how Prisma's edge client loads its query compiler) as a WebAssembly.Module. */
function wasmModule(): Plugin {
  return {
    name: 'wasm-module',
    enforce: 'pre',
    load(id) {
      if (!id.endsWith('.wasm?module')) return null;
      const path = id.slice(0, -'?module'.length);
      const base64 = readFileSync(path).toString('base64');
      return `const bytes = Uint8Array.from(atob(${JSON.stringify(base64)}), (c) => c.charCodeAt(0));
export default new WebAssembly.Module(bytes);`;
    },
  };
}

const alias = { '@': fileURLToPath(new URL('.', import.meta.url)) };
const PLATFORM_BUILDS = 'test/integration/platform-builds.test.ts';
const unitSetup = ['test/support/in-process/database-setup.ts', 'test/support/in-process/jwks-setup.ts'];

export default defineConfig({
  plugins: [wasmModule()],
  resolve: { alias },
  test: {
    // Vitest runs one worker per core less one: a single worker on 2 cores. Much of the unit suite waits for the
    // processes and databases its tests start, so more workers than cores keep both cores busy.
    maxWorkers: 4,
    projects: [
      {
        extends: true,
        // The condition Next.js resolves edge code with: `#prisma/client` is then Prisma's edge client.
        resolve: { conditions: ['edge-light', ...defaultServerConditions] },
        ssr: { resolve: { conditions: ['edge-light', ...defaultServerConditions] } },
        test: {
          name: 'edge',
          environment: 'edge-runtime',
          include: ['test/unit/**/*.test.ts'],
          exclude: ['test/unit/scripts/**', 'test/unit/lint/**'],
          globalSetup: unitSetup,
          // A hang detector, not a speed test: on a 2-core machine under load a 1 s test can take ten times that.
          testTimeout: 30_000,
          hookTimeout: 60_000,
        },
      },
      {
        extends: true,
        test: {
          name: 'node',
          environment: 'node',
          // The handler tests again (moving a route off the edge runtime is a one-line change), and the tools in scripts/.
          include: ['test/unit/app/**/*.test.ts', 'test/unit/scripts/**/*.test.ts', 'test/unit/lint/**/*.test.ts'],
          globalSetup: unitSetup,
          // The tools' tests start processes, PGlite databases and ESLint (seconds each, many more under load).
          testTimeout: 120_000,
          hookTimeout: 180_000,
        },
      },
      {
        extends: true,
        test: {
          // The AWS CDK app's own tests (scripts/aws, with its own dependencies: npm run aws:install).
          name: 'aws',
          environment: 'node',
          include: ['scripts/aws/test/**/*.test.ts'],
          testTimeout: 120_000,
        },
      },
      {
        extends: true,
        test: {
          name: 'integration',
          environment: 'node',
          include: ['test/integration/**/*.test.ts', 'test/e2e/**/*.test.ts'],
          exclude: [PLATFORM_BUILDS],
          globalSetup: ['test/support/over-http/production-server.ts'],
          // One production build, server and round-trip counter serve every file, in turn.
          fileParallelism: false,
          testTimeout: 30_000,
          hookTimeout: 240_000,
        },
      },
      {
        extends: true,
        test: {
          // Vercel's and OpenNext's own builds of a clean copy of the project, run as the platforms run them.
          name: 'platforms',
          environment: 'node',
          include: [PLATFORM_BUILDS],
          globalSetup: ['test/support/over-http/local-db.ts'],
          testTimeout: 30_000,
          hookTimeout: 900_000,
        },
      },
      {
        extends: true,
        test: {
          name: 'proof',
          environment: 'node',
          include: ['test/proof/**/*.test.ts'],
          globalSetup: ['test/support/proof/server.ts'],
          // One server and one database endpoint that tests stop, kill and restart: files run one at a time.
          fileParallelism: false,
          testTimeout: 120_000,
          hookTimeout: 240_000,
        },
      },
    ],
  },
});
