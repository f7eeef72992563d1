// The AWS build's runtime switch: every spelling of an edge runtime export becomes 'nodejs', nothing else changes.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { NAMESPACE_PROCESS, patchExternalMiddleware, withNodeRuntime } from '@/scripts/aws-build.ts';

describe('withNodeRuntime (npm run build:aws)', () => {
  it.each([
    ["export const runtime = 'edge';", "export const runtime = 'nodejs';"],
    ['export const runtime = "edge";', "export const runtime = 'nodejs';"],
    ['export const runtime = `edge`;', "export const runtime = 'nodejs';"],
    ["export const runtime='edge'", "export const runtime='nodejs'"],
    ["export   const   runtime  =  'edge'  ;", "export   const   runtime  =  'nodejs'  ;"],
    ["export const runtime = 'edge' as const;", "export const runtime = 'nodejs' as const;"],
    ["export const runtime = ('edge');", "export const runtime = ('nodejs');"],
    ["export const runtime = 'edge' satisfies string;", "export const runtime = 'nodejs' satisfies string;"],
    [
      "export const runtime = 'edge'; // its code is runtime-neutral",
      "export const runtime = 'nodejs'; // its code is runtime-neutral",
    ],
    [
      "export const runtime = /* here */ 'edge' /* there */;",
      "export const runtime = /* here */ 'nodejs' /* there */;",
    ],
    ["export const runtime: string = 'edge';", "export const runtime: string = 'nodejs';"],
    [
      "export const preferredRegion = 'home', runtime = 'edge';",
      "export const preferredRegion = 'home', runtime = 'nodejs';",
    ],
    ["export const runtime =\n  'edge';", "export const runtime =\n  'nodejs';"],
  ])('switches %j', (source, expected) => {
    expect(withNodeRuntime(source)).toBe(expected);
  });

  it('keeps the rest of a route file as it is', () => {
    const route = [
      '// GET /api/hello — a greeting',
      "import { handler } from '@/src/http/handler.ts';",
      '',
      "export const runtime = 'edge' as const; // the edge",
      "export const preferredRegion = 'home';",
      'export const GET = handler(async () => Response.json({ runtime }));',
      '',
    ].join('\n');
    expect(withNodeRuntime(route)).toBe(route.replace("'edge' as const", "'nodejs' as const"));
  });

  it.each([
    ["export const runtime = 'nodejs';"],
    ["// export const runtime = 'edge';"],
    ["const runtime = 'edge';"],
    ['export const description = "export const runtime = \'edge\';";'],
    ["export function runtime() { return 'edge'; }"],
    ["export const notRuntime = 'edge';"],
    ["function f() { const runtime = 'edge'; return runtime; }"],
  ])('leaves %j alone', (source) => {
    expect(withNodeRuntime(source)).toBeUndefined();
  });
});

describe('patchExternalMiddleware (npm run build:aws)', () => {
  it('drops the node:process namespace import OpenNext puts on top, so the middleware may assign process.env', () => {
    const dir = mkdtempSync(join(tmpdir(), 'open-next-'));
    try {
      mkdirSync(join(dir, 'middleware'));
      const handler = join(dir, 'middleware/handler.mjs');
      const body = 'process.env = globalThis.process.env;\nexport const handler = () => 1;\n';
      writeFileSync(handler, NAMESPACE_PROCESS + body);
      patchExternalMiddleware(dir);
      expect(readFileSync(handler, 'utf8')).toBe(body);
      patchExternalMiddleware(dir);
      expect(readFileSync(handler, 'utf8')).toBe(body);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
