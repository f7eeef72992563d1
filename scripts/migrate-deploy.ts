// `npm run migrate`: applies pending migrations with `prisma migrate deploy` over the unpooled
// connection (DATABASE_URL_UNPOOLED, which Neon's Vercel integration sets per preview branch), or
// DATABASE_URL. With neither set there is nothing to migrate, and the build goes on.
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';

const url = process.env.DATABASE_URL_UNPOOLED || process.env.DATABASE_URL;
if (!url) {
  console.log('migrate: no DATABASE_URL_UNPOOLED or DATABASE_URL; skipping prisma migrate deploy.');
  process.exit(0);
}
const prisma = createRequire(import.meta.url).resolve('prisma/build/index.js');
const { status } = spawnSync(process.execPath, [prisma, 'migrate', 'deploy'], { stdio: 'inherit' });
process.exit(status ?? 1);
