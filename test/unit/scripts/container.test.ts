// The Dockerfile, read as text: what its build stage copies before `npm ci` (whose postinstall runs
// scripts/generate.ts), the health check it declares, and the size it states against the README's.
import { readFileSync } from 'node:fs';
import { dirname, join, normalize } from 'node:path';
import { describe, expect, it } from 'vitest';

const dockerfile = readFileSync('Dockerfile', 'utf8');

/** Local files `file` imports, and theirs in turn. */
function localImports(file: string, seen = new Set<string>()): Set<string> {
  if (seen.has(file)) return seen;
  seen.add(file);
  for (const [, specifier] of readFileSync(file, 'utf8').matchAll(/^import [^;]*?from '(\.{1,2}\/[^']+)';$/gm)) {
    localImports(normalize(join(dirname(file), specifier!)), seen);
  }
  return seen;
}

describe('Dockerfile', () => {
  it('copies every file the postinstall (scripts/generate.ts) imports before npm ci runs it', () => {
    const beforeInstall = dockerfile.slice(0, dockerfile.indexOf('RUN npm ci'));
    const copied = [...beforeInstall.matchAll(/^COPY (.+) \S+$/gm)].flatMap((match) => match[1]!.split(' '));
    for (const file of localImports('scripts/generate.ts')) {
      expect(
        copied.some((source) => file === source || file.startsWith(`${source}/`)),
        file,
      ).toBe(true);
    }
  });

  it('checks liveness (/api/live), not readiness, in its HEALTHCHECK', () => {
    expect(dockerfile).toMatch(/^HEALTHCHECK [^\n]*\\\n[^\n]*\/api\/live'/m);
    expect(dockerfile).not.toMatch(/^HEALTHCHECK[\s\S]*\/api\/health/m);
  });

  it('states the standalone folder’s size as the README does', () => {
    const stated = /: ([\d.]+ MB in [\d,]+ files) \(scripts\/folder-size\.ts\)/.exec(dockerfile)?.[1];
    expect(stated).toBeDefined();
    expect(readFileSync('README.md', 'utf8')).toContain(`\`.next/standalone\` (${stated},`);
  });
});
