// Gzipped size of each edge function (its files and WASM, as Next lists them in the build output).
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { readCommandLine } from './command-line.ts';

/** Vercel Hobby's limit for one edge function, gzipped. */
export const EDGE_FUNCTION_LIMIT_BYTES = 1024 * 1024;

interface EdgeFunction {
  files: string[];
  wasm?: { filePath: string }[];
  assets?: { filePath: string }[];
}

interface MiddlewareManifest {
  middleware: Record<string, EdgeFunction>;
  functions: Record<string, EdgeFunction>;
}

export interface EdgeFunctionSize {
  name: string;
  files: number;
  rawBytes: number;
  gzipBytes: number;
}

export function measureEdgeFunctions(distDir = '.next'): EdgeFunctionSize[] {
  const manifest: MiddlewareManifest = JSON.parse(
    readFileSync(join(distDir, 'server', 'middleware-manifest.json'), 'utf8'),
  );
  const entries = [...Object.entries(manifest.middleware), ...Object.entries(manifest.functions)];
  return entries.map(([name, fn]) => {
    const paths = [...fn.files, ...(fn.wasm ?? []).map((w) => w.filePath), ...(fn.assets ?? []).map((a) => a.filePath)];
    // Each file gzipped on its own and summed: a little above what one archive of them all would be.
    const contents = paths.map((path) => readFileSync(join(distDir, path)));
    return {
      name: name === '/' ? 'middleware' : name,
      files: paths.length,
      rawBytes: contents.reduce((sum, file) => sum + file.byteLength, 0),
      gzipBytes: contents.reduce((sum, file) => sum + gzipSync(file, { level: 9 }).byteLength, 0),
    };
  });
}

function kib(bytes: number): string {
  return `${(bytes / 1024).toFixed(1)} KiB`;
}

export function formatTable(sizes: EdgeFunctionSize[]): string {
  const rows = sizes.map(
    (s) =>
      `| \`${s.name}\` | ${s.files} | ${kib(s.rawBytes)} | ${kib(s.gzipBytes)} | ${((s.gzipBytes / EDGE_FUNCTION_LIMIT_BYTES) * 100).toFixed(0)}% |`,
  );
  return ['| edge function | files | raw | gzipped | of 1 MiB |', '| --- | --: | --: | --: | --: |', ...rows].join(
    '\n',
  );
}

if (import.meta.url === `file://${process.argv[1]}`) {
  readCommandLine(
    `usage: npm run sizes

Prints each edge function of the last \`npm run build\` (.next) gzipped, its files and WASM summed as Vercel counts
them, against Vercel Hobby's 1 MiB limit; exits 1 if one is over it.`,
    {},
  );
  if (!existsSync(join('.next', 'server', 'middleware-manifest.json'))) {
    console.error('npm run sizes measures the last build, and there is none in .next: run npm run build first');
    process.exit(1);
  }
  const sizes = measureEdgeFunctions();
  console.log(formatTable(sizes));
  const over = sizes.filter((s) => s.gzipBytes > EDGE_FUNCTION_LIMIT_BYTES);
  if (over.length > 0) {
    console.error(`Over the 1 MiB edge limit: ${over.map((s) => s.name).join(', ')}`);
    process.exit(1);
  }
}
