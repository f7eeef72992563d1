// Prisma's schema engine, the WASM build of the engine behind `prisma migrate`: loading it, reading a migrations
// folder as the Prisma CLI hands it over, and its errors in words. Nothing here opens a database.
import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { MigrationList } from '@prisma/schema-engine-wasm';
import * as runtime from '@prisma/schema-engine-wasm/schema_engine_bg';

export const ENGINE_WASM = 'schema_engine_bg.wasm';

/**
 * The engine's WASM: beside this module when it is bundled (the container's migrate.mjs carries a copy), else
 * the pinned package's.
 */
function wasmPath(): string {
  const beside = fileURLToPath(new URL(`./${ENGINE_WASM}`, import.meta.url));
  if (existsSync(beside)) return beside;
  const glue = createRequire(import.meta.url).resolve('@prisma/schema-engine-wasm/schema_engine_bg');
  return join(dirname(glue), ENGINE_WASM);
}

const LOCKFILE = 'migration_lock.toml';

/** The migrations folder as the engine takes it (what the Prisma CLI reads before every migrate command). */
export async function readMigrationList(baseDir: string, shadowDbInitScript: string): Promise<MigrationList> {
  const entries = await readdir(baseDir, { withFileTypes: true }).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return [];
    throw error;
  });
  const directories = entries
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort();
  return {
    baseDir,
    lockfile: { path: LOCKFILE, content: await readFile(join(baseDir, LOCKFILE), 'utf8').catch(() => null) },
    shadowDbInitScript,
    migrationDirectories: await Promise.all(
      directories.map(async (path) => ({
        path,
        migrationFile: {
          path: 'migration.sql',
          content: await readFile(join(baseDir, path, 'migration.sql'), 'utf8').then(
            (value) => ({ tag: 'ok' as const, value }),
            (error: Error) => ({ tag: 'error' as const, value: error.message }),
          ),
        },
      })),
    ),
  };
}

/** The engine reports a Rust panic through this global before trapping; we keep the message for the error. */
const panic = { message: '' };
let engineModule: Promise<typeof runtime> | undefined;

/** The engine's module, instantiated once per process. */
export function loadEngine(): Promise<typeof runtime> {
  engineModule ??= (async () => {
    (globalThis as { PRISMA_WASM_PANIC_REGISTRY?: unknown }).PRISMA_WASM_PANIC_REGISTRY = {
      set_message: (message: string) => (panic.message = message),
    };
    // The package's entry imports the .wasm as an ES module, which Node 20 cannot; bind it by hand instead.
    const bytes = await readFile(wasmPath());
    const { instance } = await WebAssembly.instantiate(bytes, { './schema_engine_bg.js': runtime as never });
    runtime.__wbg_set_wasm(instance.exports);
    (instance.exports as { __wbindgen_start(): void }).__wbindgen_start();
    return runtime;
  })();
  return engineModule;
}

/** The engine's errors carry a span trace ("   0: ...") after the message; people need the message. */
export function engineError(error: unknown): Error {
  const message = panic.message
    ? `the schema engine panicked: ${panic.message}`
    : String((error as Error).message ?? error);
  panic.message = '';
  return new Error(message.split(/\n\s+0: /)[0]!.trim(), { cause: error });
}
