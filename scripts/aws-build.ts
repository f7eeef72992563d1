// `npm run build:aws`: the OpenNext build for AWS Lambda (API Gateway v2), derived from the same sources.
// OpenNext serves no Turbopack edge route chunks (every edge route answers 500), so on a clean copy of the
// project each `export const runtime = 'edge'` under app/ becomes 'nodejs' (Node.js is Lambda's runtime
// anyway), then `open-next build` runs there. The project's own files, and what Vercel gets, do not change.
// The export is found with TypeScript's own parser, so any spelling of it (quotes, spacing, `as const`,
// `satisfies`, parentheses, comments) is switched, and a file that only mentions the words is left alone.
// Writes .open-next/ in the project (the server function: .open-next/server-functions/default/index.mjs).
import {
  closeSync,
  cpSync,
  existsSync,
  mkdtempSync,
  openSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import ts from 'typescript';
import { cleanCopy, runLogged } from './clean-copy.ts';
import { readCommandLine } from './command-line.ts';

/** The expression under any `as`, `satisfies`, parentheses or `!` around it. */
function unwrap(expression: ts.Expression): ts.Expression {
  while (
    ts.isAsExpression(expression) ||
    ts.isSatisfiesExpression(expression) ||
    ts.isParenthesizedExpression(expression) ||
    ts.isNonNullExpression(expression) ||
    ts.isTypeAssertionExpression(expression)
  ) {
    expression = expression.expression;
  }
  return expression;
}

/**
 * `source` with the value of its top-level `export const runtime = 'edge'` (in whatever spelling) replaced by
 * `'nodejs'`, or undefined when the module exports no edge runtime.
 */
export function withNodeRuntime(source: string, fileName = 'route.tsx'): string | undefined {
  const file = ts.createSourceFile(fileName, source, ts.ScriptTarget.Latest, false, ts.ScriptKind.TSX);
  const edits: { start: number; end: number }[] = [];
  for (const statement of file.statements) {
    if (!ts.isVariableStatement(statement)) continue;
    if (!statement.modifiers?.some((modifier) => modifier.kind === ts.SyntaxKind.ExportKeyword)) continue;
    for (const declaration of statement.declarationList.declarations) {
      if (!ts.isIdentifier(declaration.name) || declaration.name.text !== 'runtime' || !declaration.initializer)
        continue;
      const value = unwrap(declaration.initializer);
      if ((ts.isStringLiteral(value) || ts.isNoSubstitutionTemplateLiteral(value)) && value.text === 'edge') {
        edits.push({ start: value.getStart(file), end: value.getEnd() });
      }
    }
  }
  if (edits.length === 0) return undefined;
  let result = source;
  for (const { start, end } of edits.reverse()) result = `${result.slice(0, start)}'nodejs'${result.slice(end)}`;
  return result;
}

/** Turns every edge route and page under `<dir>/app` into a Node.js one; returns the files it changed. */
export function toNodeRuntime(dir: string): string[] {
  const changed: string[] = [];
  for (const entry of readdirSync(join(dir, 'app'), { withFileTypes: true, recursive: true })) {
    if (!entry.isFile() || !/\.tsx?$/.test(entry.name)) continue;
    const path = join(entry.parentPath, entry.name);
    const switched = withNodeRuntime(readFileSync(path, 'utf8'), entry.name);
    if (switched === undefined) continue;
    writeFileSync(path, switched);
    changed.push(path);
  }
  return changed;
}

/**
 * OpenNext's second esbuild pass over the external middleware (4.1.16 and 4.2.0) puts `import * as process from
 * "node:process"` on top, for runtimes without a global `process`. Next.js's middleware then assigns
 * `process.env`, which a module namespace refuses: every request through the gate failed ("Cannot assign to read
 * only property 'env'"). Lambda@Edge runs Node.js, whose global `process` is what the code expects.
 */
export const NAMESPACE_PROCESS = 'import * as process from "node:process";\n';

export function patchExternalMiddleware(openNextDir: string): void {
  const handler = join(openNextDir, 'middleware/handler.mjs');
  const source = readFileSync(handler, 'utf8');
  if (source.startsWith(NAMESPACE_PROCESS)) writeFileSync(handler, source.slice(NAMESPACE_PROCESS.length));
}

/** In `dir`, a clean copy with its dependencies installed: Node.js runtime everywhere, then OpenNext's build. */
export function openNextBuild(dir: string, log: number): string[] {
  const changed = toNodeRuntime(dir);
  if (changed.length === 0) throw new Error('no edge route found under app/: nothing to derive');
  runLogged(join(dir, 'node_modules/.bin/open-next'), ['build'], dir, log);
  patchExternalMiddleware(join(dir, '.open-next'));
  return changed;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  readCommandLine(
    `usage: npm run build:aws

Builds the app for AWS with OpenNext on a clean copy of the project (npm ci, each edge route switched to the Node.js
runtime, open-next build) and copies the output to .open-next/: the server function, the middleware built apart
for Lambda@Edge, and the static assets. The AWS CDK app in scripts/aws deploys it (npm run synth:aws).`,
    {},
  );
  const dir = mkdtempSync(join(tmpdir(), 'aws-build-'));
  const logFile = resolve('.open-next-build.log');
  const log = openSync(logFile, 'w');
  try {
    console.log(`Clean copy in ${dir}; npm ci and open-next build (log: ${logFile}) ...`);
    cleanCopy(dir);
    runLogged('npm', ['ci', '--no-audit', '--no-fund'], dir, log);
    const changed = openNextBuild(dir, log);
    console.log(`Node.js runtime for ${changed.length} routes in the AWS build.`);
    rmSync('.open-next', { recursive: true, force: true });
    cpSync(join(dir, '.open-next'), '.open-next', { recursive: true, verbatimSymlinks: true });
    if (!existsSync('.open-next/server-functions/default/index.mjs'))
      throw new Error('no server function in the output');
    console.log('OpenNext output in .open-next/ (server function: .open-next/server-functions/default/index.mjs).');
  } catch (error) {
    console.error(`${(error as Error).message}; see ${logFile}`);
    process.exitCode = 1;
  } finally {
    closeSync(log);
    rmSync(dir, { recursive: true, force: true });
  }
}
