// Starting PGlite on a new database runs initdb: seconds of CPU, most of a local start. The first start keeps a
// copy of the freshly made cluster in node_modules/.cache; every later new database (a new data folder, an
// in-memory one) loads that copy instead, about a quarter of the work. An existing data folder opens as it is.
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, readdir, rename, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { pgliteOptions } from './local-db/pglite-options.ts';

// The package does not export its package.json; it sits one folder above the entry point (dist/).
const entry = createRequire(import.meta.url).resolve('@electric-sql/pglite');
const { version } = JSON.parse(readFileSync(join(dirname(entry), '..', 'package.json'), 'utf8')) as { version: string };

/** One copy per PGlite version: a cluster made by one version is not read by another. */
export const TEMPLATE = resolve('node_modules/.cache/pglite', `cluster-${version}.tar.gz`);

function readTemplate(template: string): Blob | undefined {
  try {
    return new Blob([readFileSync(template)]);
  } catch {
    return undefined;
  }
}

/** Written to a file of its own and renamed into place, so starts that race each other never read half a copy. */
async function keepTemplate(database: PGlite, template: string): Promise<void> {
  const partial = `${template}.${process.pid}.partial`;
  try {
    const copy = await database.dumpDataDir('gzip');
    await mkdir(dirname(template), { recursive: true });
    await writeFile(partial, Buffer.from(await copy.arrayBuffer()));
    await rename(partial, template);
  } catch {
    // A read-only checkout only loses the shortcut.
    await rm(partial, { force: true });
  }
}

/**
 * PGlite on `dataDir` (a folder, made by the caller) or in memory; a new database starts from the kept copy
 * (`template`: the tests choose their own file).
 */
export async function startPglite(dataDir?: string, template = TEMPLATE): Promise<PGlite> {
  const isNew = !dataDir || !existsSync(join(dataDir, 'PG_VERSION'));
  const copy = isNew ? readTemplate(template) : undefined;
  if (copy) {
    try {
      return await PGlite.create({ ...pgliteOptions(dataDir), loadDataDir: copy });
    } catch {
      // A damaged copy: make the cluster afresh below, and keep that one instead.
      await rm(template, { force: true });
      if (dataDir) await clearFolder(dataDir);
    }
  }
  const database = await PGlite.create(pgliteOptions(dataDir));
  if (isNew) await keepTemplate(database, template);
  return database;
}

/** Empties a data folder a failed load left half written (it was new: nothing of the user's is in it). */
async function clearFolder(dataDir: string): Promise<void> {
  for (const entry of await readdir(dataDir)) await rm(join(dataDir, entry), { recursive: true, force: true });
}
