// What every PGlite database of the project loads: the extensions its migrations create (pg_trgm serves the
// users search's trigram indexes), as Neon and PostgreSQL servers offer them.
import type { PGliteOptions } from '@electric-sql/pglite';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';

/** PGlite's options for a database in `dataDir`, or in memory without one. */
export function pgliteOptions(dataDir?: string): PGliteOptions {
  return { ...(dataDir ? { dataDir } : {}), extensions: { pg_trgm } };
}
