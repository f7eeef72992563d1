// The import boundaries of eslint.config.mjs, on modules that break them: ESLint's own engine with the project's
// config, as `npm run lint` runs it, given each module's text under the path it would have in the tree.
import { readFileSync } from 'node:fs';
import { ESLint } from 'eslint';
import { beforeAll, describe, expect, it } from 'vitest';

let eslint: ESLint;

beforeAll(() => {
  eslint = new ESLint({ cwd: process.cwd() });
});

/** `rule: message` for every error ESLint reports on `code` placed at `filePath`. */
async function lintErrors(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  return result!.messages.filter((message) => message.severity === 2).map((m) => `${m.ruleId}: ${m.message}`);
}

describe('npm run lint', () => {
  it.each([
    '.next/server/middleware.js',
    '.open-next/server-functions/default/index.mjs',
    '.vercel/output/config.json',
  ])('leaves what a build wrote alone (%s)', async (filePath) => {
    expect(await eslint.isPathIgnored(filePath)).toBe(true);
  });

  it.each([
    ['app/api/example/route.ts', `import { readFileSync } from 'node:fs';\nexport const read = readFileSync;\n`],
    ['middleware.ts', `import { createHash } from 'node:crypto';\nexport const hash = createHash;\n`],
    ['src/users/example.ts', `import { join } from 'path';\nexport const joined = join('a', 'b');\n`],
    ['src/auth/example.ts', `export const load = () => import('node:fs');\n`],
  ])('fails on an edge module (%s) that imports a Node.js built-in', async (filePath, code) => {
    expect(await lintErrors(filePath, code)).toEqual([expect.stringMatching(/^import\/no-nodejs-modules: /)]);
  });

  it.each([
    [
      'app/users/example.ts',
      `import { startLocalDb } from '@/scripts/local-db/server.ts';\nexport const a = startLocalDb;\n`,
    ],
    ['src/auth/example.ts', `export const load = () => import('../../scripts/token.ts');\n`],
    [
      'src/http/example.ts',
      `import { expectProblem } from '@/test/support/problems.ts';\nexport const a = expectProblem;\n`,
    ],
  ])('fails on app code (%s) that imports a tool or a test helper', async (filePath, code) => {
    expect(await lintErrors(filePath, code)).toEqual([expect.stringMatching(/^import\/no-restricted-paths: /)]);
  });

  it.each([
    `import { jwtVerify } from 'jose';\nexport const verify = jwtVerify;\n`,
    `import { PrismaClient } from '#prisma/client';\nexport const Client = PrismaClient;\n`,
    `import { PrismaNeonHttp } from '@prisma/adapter-neon';\nexport const Adapter = PrismaNeonHttp;\n`,
    `import { neon } from '@neondatabase/serverless';\nexport const sql = neon;\n`,
    `import { db } from '@/src/db/client.ts';\nexport const client = db;\n`,
  ])('fails on a src/http module that imports tokens or the database client: %s', async (code) => {
    expect(await lintErrors('src/http/example.ts', code)).toEqual([expect.stringMatching(/^no-restricted-imports: /)]);
  });

  it.each([
    ['scripts/example.ts', `import { readFileSync } from 'node:fs';\nexport const read = readFileSync;\n`],
    ['src/startup.ts', `import { Server } from 'node:http';\nexport const server = new Server();\n`],
    ['src/auth/example.ts', `import { jwtVerify } from 'jose';\nexport const verify = jwtVerify;\n`],
    ['src/users/example.ts', `import { db } from '@/src/db/client.ts';\nexport const client = db;\n`],
    ['instrumentation.ts', readFileSync('instrumentation.ts', 'utf8')],
  ])('passes what each place may import (%s)', async (filePath, code) => {
    expect(await lintErrors(filePath, code)).toEqual([]);
  });
});
