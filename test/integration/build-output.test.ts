// The production build: every API route is an edge function, and each fits Vercel Hobby's 1 MiB limit.
import { readdirSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { describe, expect, it } from 'vitest';
import { EDGE_FUNCTION_LIMIT_BYTES, measureEdgeFunctions } from '@/scripts/edge-sizes.ts';

function routeFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return routeFiles(path);
    return entry.name === 'route.ts' ? [path] : [];
  });
}

describe('the production build', () => {
  const sizes = measureEdgeFunctions();

  it('builds every route under app/api as an edge function', () => {
    const routes = routeFiles('app/api').map(
      (file) => `/${relative('app', file).split(sep).join('/').replace(/\.ts$/, '')}`,
    );
    expect(routes.length).toBeGreaterThanOrEqual(4);
    expect(sizes.map((size) => size.name)).toEqual(expect.arrayContaining(routes));
  });

  it.each(sizes.map((size) => [size.name, size] as const))('keeps %s within 1 MiB gzipped', (_name, size) => {
    expect(size.gzipBytes).toBeGreaterThan(0);
    expect(size.gzipBytes).toBeLessThanOrEqual(EDGE_FUNCTION_LIMIT_BYTES);
  });
});
