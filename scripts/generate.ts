// `npm run generate`: generates the Prisma client, and the list of migrations /api/health checks for. Generating
// needs no schema engine, but the CLI fetches one unless told where it is; naming any executable skips a download
// that may be impossible.
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { writeMigrationNames } from './migration-names.ts';

writeMigrationNames();

const prisma = createRequire(import.meta.url).resolve('prisma/build/index.js');
const { status } = spawnSync(process.execPath, [prisma, 'generate'], {
  stdio: 'inherit',
  env: { ...process.env, PRISMA_SCHEMA_ENGINE_BINARY: process.env.PRISMA_SCHEMA_ENGINE_BINARY ?? process.execPath },
});
process.exit(status ?? 1);
