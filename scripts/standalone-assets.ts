// After `next build`: completes the self-contained server in .next/standalone with the static assets
// it serves but Next leaves out (they usually go to a CDN), so `npm start` and the container run it as is,
// and with the migrate command (`node migrate.mjs`: the bundle, Prisma's schema engine, the migrations).
import { cpSync, existsSync } from 'node:fs';
import { bundleMigrate } from './migrate/bundle.ts';

const STANDALONE = '.next/standalone';

if (!existsSync(`${STANDALONE}/server.js`)) {
  console.error(`${STANDALONE}/server.js is missing: run next build with output: 'standalone' first.`);
  process.exit(1);
}
cpSync('.next/static', `${STANDALONE}/.next/static`, { recursive: true });
if (existsSync('public')) cpSync('public', `${STANDALONE}/public`, { recursive: true });
await bundleMigrate(STANDALONE);
