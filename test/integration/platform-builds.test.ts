// The platforms' own builders, on a clean copy of the project, and what they produce, run on its own.
// Vercel (`vercel build`): every function fits the plan limits we promise (edge ≤ 1 MiB gzipped on Hobby,
// Node.js ≤ 250 MB unzipped); edge functions run in a fresh @edge-runtime/vm, the Node.js function from its
// files alone. AWS Lambda (`open-next build`, derived as `npm run build:aws` derives it): the server function,
// copied out alone, answers API Gateway v2 events. Both against the local endpoint.
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, cpSync, existsSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { openNextBuild } from '@/scripts/aws-build.ts';
import { cleanCopy } from '@/scripts/clean-copy.ts';
import { folderSize } from '@/scripts/folder-size.ts';
import { VERCEL_CLI, vercelBuild } from '@/scripts/vercel-build.ts';
import {
  EDGE_LIMIT_BYTES,
  NODE_LIMIT_BYTES,
  listVercelFunctions,
  loadEdgeFunction,
  materializeNodeFunction,
  type EdgeHandler,
  type VercelFunction,
} from '@/scripts/vercel-functions.ts';
import { expectDeployedAppAnswers } from '@/test/support/over-http/deployment.ts';
import {
  apiGatewayEvent,
  responseFromResult,
  startLambda,
  type LambdaProcess,
} from '@/test/support/over-http/lambda.ts';
import { freePort, waitUntilReady } from '@/test/support/processes.ts';
import { SERVER_JWT_SECRET } from '@/test/support/over-http/server-settings.ts';

/** Without the Vercel CLI these tests are skipped with a notice; in CI (which installs it) that is an error. */
function vercelCliAvailable(): boolean {
  if (existsSync(VERCEL_CLI)) return true;
  const notice = `No Vercel CLI at ${VERCEL_CLI}: run \`npm run vercel:install\`.`;
  if (process.env.CI === 'true') throw new Error(notice);
  console.warn(`Skipping the platform build tests. ${notice}`);
  return false;
}

const LOGS = resolve('test-results');
/** The public origin the platforms' routers put in front of the functions. */
const ORIGIN = 'https://edge-users-api.example';

describe.runIf(vercelCliAvailable())('the platforms’ own builds', () => {
  const env = {
    DATABASE_URL: inject('localDbUrl'),
    NEON_FETCH_ENDPOINT: inject('localDbEndpoint'),
    JWT_SECRET: SERVER_JWT_SECRET,
    // Without a trusted proxy every sign-up shares one count, which the other suites on this database use up.
    REGISTER_MAX_PER_ADDRESS: '100000',
  };
  const folders: string[] = [];
  const temporaryFolder = (prefix: string) => {
    const folder = mkdtempSync(join(tmpdir(), prefix));
    folders.push(folder);
    return folder;
  };
  let project: string;

  beforeAll(() => {
    mkdirSync(LOGS, { recursive: true });
    project = temporaryFolder('platform-build-');
    cleanCopy(project);
    // Also installs the copy's dependencies (vercel.json's `npm ci`), which the AWS build then uses.
    vercelBuild(project, join(LOGS, 'vercel-build.log'));
  }, 900_000);

  afterAll(() => {
    for (const folder of folders) rmSync(folder, { recursive: true, force: true });
  });

  describe('vercel build', () => {
    let functions: VercelFunction[];
    let nodeServer: ChildProcess | undefined;

    beforeAll(() => {
      functions = listVercelFunctions(project);
    });
    afterAll(() => {
      if (nodeServer?.pid) process.kill(nodeServer.pid, 'SIGTERM');
    });

    const fn = (name: string) => {
      const found = functions.find((candidate) => candidate.name === name || candidate.aliases.includes(name));
      if (!found) throw new Error(`vercel build made no function for /${name}`);
      return found;
    };

    it('makes one edge function per API route and for the middleware, and a Node.js function for the pages', () => {
      for (const route of ['middleware', 'api/hello', 'api/users', 'api/users/[id]', 'api/auth/register']) {
        expect(fn(route).runtime, route).toBe('edge');
      }
      expect(fn('login').runtime).toMatch(/^nodejs\d+\.x$/);
      expect(fn('users')).toBe(fn('login'));
    });

    it('runs the database functions in the project’s function region and the rest in every region', () => {
      for (const route of [
        'api/users',
        'api/users/[id]',
        'api/auth/login',
        'api/auth/register',
        'api/auth/me',
        'api/auth/refresh',
        'api/auth/logout',
        'api/auth/password',
        'api/auth/invitation',
        'api/users/[id]/invitation',
        'api/auth/sessions',
        'api/auth/sessions/[id]',
        'api/cron/prune',
        'api/health',
      ]) {
        expect(fn(route).config.regions, route).toEqual(['iad1']);
      }
      for (const route of ['middleware', 'api/hello', 'api/openapi.json', 'api/[[...path]]']) {
        expect(fn(route).config.regions, route).toBeUndefined();
      }
    });

    it('keeps every edge function within 1 MiB gzipped and every Node.js function within 250 MB', () => {
      expect(functions.length).toBeGreaterThanOrEqual(12);
      for (const each of functions) {
        if (each.edge) {
          expect(each.gzipBytes, `/${each.name} gzipped`).toBeGreaterThan(0);
          expect(each.gzipBytes, `/${each.name} gzipped`).toBeLessThanOrEqual(EDGE_LIMIT_BYTES);
        } else {
          expect(each.bytes, `/${each.name} unzipped`).toBeGreaterThan(0);
          expect(each.bytes, `/${each.name} unzipped`).toBeLessThanOrEqual(NODE_LIMIT_BYTES);
        }
      }
    });

    it('serves the API from edge functions and the pages from the Node.js function, each run on its own', async () => {
      // Vercel sets VERCEL=1 in every function, which makes the app trust the X-Forwarded-* its router sets.
      const vercelEnv = { ...env, VERCEL: '1' };
      const edge = new Map<string, EdgeHandler>();
      const edgeHandler = async (name: string) => {
        if (!edge.has(name)) edge.set(name, (await loadEdgeFunction(fn(name), project, vercelEnv)).handler);
        return edge.get(name)!;
      };

      const nodeFolder = temporaryFolder('vercel-node-function-');
      const handler = materializeNodeFunction(fn('login'), project, nodeFolder);
      const port = await freePort();
      const serve = `require('node:http').createServer(require(${JSON.stringify(handler)})).listen(${port}, '127.0.0.1')`;
      nodeServer = spawn(process.execPath, ['-e', serve], {
        cwd: nodeFolder,
        stdio: ['ignore', 'inherit', 'inherit'],
        env: { PATH: process.env.PATH, NODE_ENV: 'production', ...vercelEnv },
      });
      await waitUntilReady(`http://127.0.0.1:${port}/login`, nodeServer, 60_000);

      // Vercel's router: each API path to its own edge function, the pages to the Node.js function, over HTTPS.
      await expectDeployedAppAnswers(async (path, init = {}) => {
        const url = new URL(path, ORIGIN);
        if (url.pathname.startsWith('/api/')) {
          return (await edgeHandler(url.pathname.slice(1)))(new Request(url, init));
        }
        const headers = { ...init.headers, 'x-forwarded-proto': 'https', 'x-forwarded-host': url.host };
        return fetch(new URL(path, `http://127.0.0.1:${port}`), { ...init, headers, redirect: 'manual' });
      }, 'vercel');
    });
  });

  describe('OpenNext for AWS Lambda', () => {
    let lambda: LambdaProcess;
    let serverFunction: string;

    beforeAll(() => {
      const log = openSync(join(LOGS, 'aws-build.log'), 'w');
      try {
        openNextBuild(project, log);
      } finally {
        closeSync(log);
      }
      // The server function copied out alone, as Lambda unpacks its zip.
      serverFunction = temporaryFolder('lambda-server-');
      cpSync(join(project, '.open-next/server-functions/default'), serverFunction, {
        recursive: true,
        verbatimSymlinks: true,
      });
      lambda = startLambda(join(serverFunction, 'index.mjs'), serverFunction, env);
    }, 900_000);
    afterAll(() => lambda?.stop());

    it('leaves the project’s edge routes as they are', () => {
      expect(readFileSync('app/api/users/route.ts', 'utf8')).toContain("export const runtime = 'edge';");
      expect(readFileSync(join(project, 'app/api/users/route.ts'), 'utf8')).toContain(
        "export const runtime = 'nodejs';",
      );
    });

    it('makes a server function under 250 MB', () => {
      const { bytes } = folderSize(serverFunction);
      expect(bytes).toBeGreaterThan(1_000_000);
      expect(bytes).toBeLessThanOrEqual(NODE_LIMIT_BYTES);
    });

    it('answers hello, the API and the pages through its Lambda handler', async () => {
      await expectDeployedAppAnswers(
        async (path, init) =>
          responseFromResult(await lambda.invoke(apiGatewayEvent(new URL(path, ORIGIN).href, init))),
        'lambda',
      );
    });
  });
});
