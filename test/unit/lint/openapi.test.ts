// The OpenAPI document as /api/openapi.json serves it, through the two linters HTTP clients' tooling is built on:
// Redocly's `recommended` rules and Spectral's `spectral:oas` ruleset (.spectral.yaml), with no error and no warning.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import '@/test/support/in-process/database.ts';
import { GET } from '@/app/api/openapi.json/route.ts';
import { runToEnd } from '@/test/support/processes.ts';

const folder = mkdtempSync(join(tmpdir(), 'openapi-lint-'));
const file = join(folder, 'openapi.json');
const bin = (name: string) => join(process.cwd(), 'node_modules', '.bin', name);

beforeAll(async () => {
  // As a deployment serves it: its servers entry names the public origin (localhost is a warning of its own).
  const response = await GET(new Request('https://users.acme.dev/api/openapi.json'));
  expect(response.status).toBe(200);
  writeFileSync(file, await response.text());
});
afterAll(() => rmSync(folder, { recursive: true, force: true }));

// Each starts a Node.js program that loads a few hundred modules: minutes on a loaded machine, not seconds.
describe('the served OpenAPI document', { timeout: 180_000 }, () => {
  it("passes Redocly's recommended lint with no error and no warning", async () => {
    const linted = await runToEnd(bin('redocly'), ['lint', file, '--extends', 'recommended', '--format', 'json']);
    const report = JSON.parse(linted.stdout) as { totals: object; problems: { ruleId: string; message: string }[] };
    expect(report.problems.map(({ ruleId, message }) => `${ruleId}: ${message}`)).toEqual([]);
    expect(report.totals).toMatchObject({ errors: 0, warnings: 0 });
    expect(linted.code).toBe(0);
  });

  it("passes Spectral's spectral:oas ruleset with no error, warning or hint", async () => {
    const ruleset = join(process.cwd(), '.spectral.yaml');
    const linted = await runToEnd(bin('spectral'), ['lint', file, '--ruleset', ruleset, '--format', 'json', '--quiet']);
    const results = JSON.parse(linted.stdout || '[]') as { code: string; message: string }[];
    expect(results.map(({ code, message }) => `${code}: ${message}`)).toEqual([]);
    expect(linted.code).toBe(0);
  });
});
