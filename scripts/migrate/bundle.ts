// The migrate command for a folder that has no node_modules of its own (.next/standalone, the container): one
// file, migrate.mjs, with beside it what it reads at run time, Prisma's schema engine (WASM) and the migrations.
// `node migrate.mjs` there is `npm run migrate` here.
import { cpSync, mkdirSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { ENGINE_WASM } from '../schema-engine-runtime.ts';

export const MIGRATE_BUNDLE = 'migrate.mjs';

/** Writes migrate.mjs, schema_engine_bg.wasm and prisma/migrations into `folder`. */
export async function bundleMigrate(folder: string, root = process.cwd()): Promise<void> {
  await build({
    entryPoints: [fileURLToPath(new URL('./cli.ts', import.meta.url))],
    outfile: join(folder, MIGRATE_BUNDLE),
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    // node-postgres' optional native binding and its Cloudflare socket are never used here.
    external: ['pg-native', 'cloudflare:sockets', 'pg-cloudflare'],
    // CommonJS dependencies (pg) require Node.js built-ins, which an ES module must be given a require for.
    banner: {
      js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);",
    },
    legalComments: 'none',
    logLevel: 'warning',
  });
  const glue = createRequire(import.meta.url).resolve('@prisma/schema-engine-wasm/schema_engine_bg');
  cpSync(join(dirname(glue), ENGINE_WASM), join(folder, ENGINE_WASM));
  const migrations = join(folder, 'prisma/migrations');
  rmSync(migrations, { recursive: true, force: true });
  mkdirSync(dirname(migrations), { recursive: true });
  cpSync(join(root, 'prisma/migrations'), migrations, { recursive: true });
}
