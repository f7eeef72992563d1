// The platforms' own builders, on a clean copy of the project, and what they produce, run on its own.
// Vercel (`vercel build`): every function fits the plan limits we promise (edge ≤ 1 MiB gzipped on Hobby,
// Node.js ≤ 250 MB unzipped); edge functions run in a fresh @edge-runtime/vm, the Node.js function from its
// files alone. AWS Lambda (`open-next build`, derived as `npm run build:aws` derives it): the server function,
// copied out alone, answers API Gateway v2 events. Both against the local endpoint.
import { spawn, type ChildProcess } from 'node:child_process';
import {
  closeSync,
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
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
import {
  CDK_CLI,
  functionUrlEvent,
  isCloudFrontResponse,
  lambdaRuntimeEnv,
  originFromTemplate,
  readSynthesized,
  responseFromCloudFront,
  startDistribution,
  startParameterStore,
  synthesize,
  viewerRequestEvent,
  type CloudFrontRequest,
  type OriginSettings,
  type ParameterStore,
  type SynthesizedStack,
} from '@/test/support/over-http/cloudfront.ts';
import { expectDeployedAppAnswers, type Sent } from '@/test/support/over-http/deployment.ts';
import {
  apiGatewayEvent,
  responseFromResult,
  startLambda,
  type LambdaProcess,
} from '@/test/support/over-http/lambda.ts';
import { browserAvailable } from '@/test/support/over-http/browser.ts';
import { serverSql } from '@/test/support/over-http/server-admin.ts';
import { freePort, waitUntilReady } from '@/test/support/processes.ts';
import { chromium } from 'playwright-core';
import { SERVER_JWT_SECRET, serverToken } from '@/test/support/over-http/server-settings.ts';

/** Without the Vercel CLI these tests are skipped with a notice; in CI (which installs it) that is an error. */
function vercelCliAvailable(): boolean {
  if (existsSync(VERCEL_CLI)) return true;
  const notice = `No Vercel CLI at ${VERCEL_CLI}: run \`npm run vercel:install\`.`;
  if (process.env.CI === 'true') throw new Error(notice);
  console.warn(`Skipping the platform build tests. ${notice}`);
  return false;
}

/** Without the AWS CDK app's dependencies the stack tests are skipped with a notice; in CI that is an error. */
function awsCdkAvailable(): boolean {
  if (existsSync(CDK_CLI)) return true;
  const notice = `No AWS CDK CLI at ${CDK_CLI}: run \`npm run aws:install\`.`;
  if (process.env.CI === 'true') throw new Error(notice);
  console.warn(`Skipping the AWS stack tests. ${notice}`);
  return false;
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((name) => statSync(join(dir, name)).isFile())
    .sort();
}

const LOGS = resolve('test-results');
/** The public origin the platforms' routers put in front of the functions. */
const ORIGIN = 'https://edge-users-api.example';
/**
 * For a test that serves the app from a platform's output: it loads functions into fresh VMs or processes (about a
 * second of CPU each) and sends the deployed app's checks. Half a minute was too short beside the other suites
 * (seen: the Vercel one timed out at 30 s, at a load of 11).
 */
const SERVING = { timeout: 180_000 };

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

    it(
      'serves the API from edge functions and the pages from the Node.js function, each run on its own',
      SERVING,
      async () => {
        // Vercel sets VERCEL=1 and its system variables in every function: the public origin is derived from them
        // (a preview: the deployment's own URL), and the app trusts the X-Forwarded-* its router sets.
        const vercelEnv = { ...env, VERCEL: '1', VERCEL_ENV: 'preview', VERCEL_URL: new URL(ORIGIN).host };
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
      },
    );
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
      lambda = startLambda(join(serverFunction, 'index.mjs'), serverFunction, { ...env, PUBLIC_ORIGIN: ORIGIN });
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

    it('answers hello, the API and the pages through its Lambda handler', SERVING, async () => {
      await expectDeployedAppAnswers(
        async (path, init) =>
          responseFromResult(await lambda.invoke(apiGatewayEvent(new URL(path, ORIGIN).href, init))),
        'lambda',
      );
    });

    describe.runIf(awsCdkAvailable())('the AWS stack (scripts/aws), its assets run as CloudFront runs them', () => {
      /** What the deployer puts in SSM Parameter Store before `cdk deploy` (see the README); here, a stand-in. */
      const PUBLIC_ORIGIN = 'https://d111111abcdef8.cloudfront.net';
      let parameters: Record<string, string>;
      let store: ParameterStore;
      let stack: SynthesizedStack;
      let origin: OriginSettings;
      let gate: LambdaProcess;
      let server: LambdaProcess;
      let synthSeconds: number;
      /** Every request the edge passed on to the server function, as the function received it. */
      const forwarded: { headers: Record<string, string> }[] = [];

      beforeAll(async () => {
        const outdir = join(temporaryFolder('aws-synth-'), 'cdk.out');
        const started = performance.now();
        synthesize(join(project, '.open-next'), outdir);
        synthSeconds = (performance.now() - started) / 1000;
        stack = readSynthesized(outdir);
        parameters = {
          '/edge-users-api/jwt-secret': SERVER_JWT_SECRET,
          '/edge-users-api/database-url': env.DATABASE_URL,
          '/edge-users-api/origin-secret': `origin-${crypto.randomUUID()}`,
          '/edge-users-api/public-origin': PUBLIC_ORIGIN,
        };
        store = await startParameterStore(parameters);
        origin = originFromTemplate(stack, parameters);
        const runtime = lambdaRuntimeEnv(store);
        // The functions' folders as `cdk deploy` zips them, each started as Lambda starts it: the gate with no
        // environment of its own (Lambda@Edge has none), the server with the template's.
        const gateDir = stack.functionAsset('gate.handler');
        gate = startLambda(join(gateDir, 'gate.mjs'), gateDir, runtime);
        const serverDir = stack.functionAsset('server.handler');
        server = startLambda(join(serverDir, 'server.mjs'), serverDir, {
          ...runtime,
          ...stack.functionEnvironment('server.handler'),
          // The local endpoint stands in for Neon, as everywhere in these tests; the sign-up limit as above.
          NEON_FETCH_ENDPOINT: env.NEON_FETCH_ENDPOINT,
          REGISTER_MAX_PER_ADDRESS: env.REGISTER_MAX_PER_ADDRESS,
        });
      }, 600_000);
      afterAll(async () => {
        gate?.stop();
        server?.stop();
        await store?.stop();
      });

      /** The edge's verdict on a viewer's request: its own response, or the request it passes on. */
      async function atTheEdge(path: string, init: Sent = {}): Promise<Response | CloudFrontRequest> {
        const result = (await gate.invoke(viewerRequestEvent(new URL(path, PUBLIC_ORIGIN).href, init))) as object;
        return isCloudFrontResponse(result) ? responseFromCloudFront(result) : (result as CloudFrontRequest);
      }

      /** A viewer's request through CloudFront: the gate at the edge, then the server function's Function URL. */
      async function viaCloudFront(path: string, init: Sent = {}): Promise<Response> {
        const verdict = await atTheEdge(path, init);
        if (verdict instanceof Response) return verdict;
        const event = functionUrlEvent(verdict, init.body, origin) as { headers: Record<string, string> };
        forwarded.push(event);
        return responseFromResult(await server.invoke(event));
      }

      it('synthesizes offline from the build: the server function, the gate and the static files as its assets', () => {
        const types = Object.values(stack.template.Resources).map((resource) => resource.Type);
        console.log(`cdk synth: ${synthSeconds.toFixed(1)} s, ${types.length} resources`);
        for (const type of [
          'AWS::CloudFront::Distribution',
          'AWS::S3::Bucket',
          'AWS::Lambda::Url',
          'Custom::CDKBucketDeployment',
        ]) {
          expect(types, type).toContain(type);
        }
        expect(existsSync(join(stack.functionAsset('server.handler'), 'index.mjs'))).toBe(true);
        expect(existsSync(join(stack.functionAsset('gate.handler'), 'handler.mjs'))).toBe(true);
        expect(stack.functionEnvironment('server.handler')).toMatchObject({
          TRUST_PROXY: 'true',
          NODE_ENV: 'production',
        });
      });

      it('uploads every static file of the build to the bucket, including each one the pages load', async () => {
        const built = join(project, '.open-next/assets/_next');
        const uploaded = stack.bucketAsset('_next');
        expect(filesUnder(uploaded)).toEqual(filesUnder(built));
        expect(filesUnder(uploaded).filter((file) => file.startsWith('static/')).length).toBeGreaterThan(5);
        const login = await (await viaCloudFront('/login')).text();
        const referenced = [...login.matchAll(/\/_next\/(static\/[^"'\s?)\\]+)/g)].map((match) => match[1]!);
        expect(referenced.length).toBeGreaterThan(0);
        for (const file of new Set(referenced)) {
          expect(existsSync(join(uploaded, decodeURIComponent(file))), `/_next/${file} in the bucket`).toBe(true);
        }
      });

      it('prunes expired data when the daily schedule invokes the server function, and for nobody over HTTP', async () => {
        const scheduled = {
          version: '0',
          id: crypto.randomUUID(),
          'detail-type': 'Scheduled Event',
          source: 'aws.events',
          account: '123456789012',
          time: new Date().toISOString(),
          region: 'us-east-1',
          resources: ['arn:aws:events:us-east-1:123456789012:rule/EdgeUsersApi-Prune'],
          detail: {},
        };
        const pruned = (await server.invoke(scheduled)) as unknown as { deleted: object; complete: boolean };
        expect(pruned).toEqual({
          deleted: { sessions: expect.any(Number), invitations: expect.any(Number), rateLimits: expect.any(Number) },
          complete: true,
        });
        // The route's secret is the instance's own: a request through CloudFront cannot run it.
        const guessed = await viaCloudFront('/api/cron/prune', {
          headers: { authorization: 'Bearer guessed-secret-guessed' },
        });
        expect(guessed.status).toBe(401);
        expect(await guessed.json()).toMatchObject({ code: 'cron_unauthorized' });
      });

      it('keeps the edge gate within Lambda@Edge’s viewer-request limit (1 MB zipped)', () => {
        const dir = stack.functionAsset('gate.handler');
        const gzipped = filesUnder(dir).reduce((sum, file) => sum + gzipSync(readFileSync(join(dir, file))).length, 0);
        console.log(`edge gate: ${filesUnder(dir).join(', ')}; ${(gzipped / 1024).toFixed(1)} KiB gzipped`);
        expect(gzipped).toBeLessThanOrEqual(1_000_000);
      });

      it('refuses at the edge without a token: 401 problem for /api, a redirect to /login for pages', async () => {
        const api = await atTheEdge('/api/users');
        expect(api).toBeInstanceOf(Response);
        expect((api as Response).status).toBe(401);
        expect((api as Response).headers.get('content-type')).toBe('application/problem+json');
        expect(await (api as Response).json()).toMatchObject({ status: 401, code: 'missing_token' });

        const page = await atTheEdge('/users?cursor=3');
        expect(page).toBeInstanceOf(Response);
        expect((page as Response).status).toBe(303);
        const location = new URL((page as Response).headers.get('location')!, PUBLIC_ORIGIN);
        expect(location.pathname).toBe('/login');
        expect(location.searchParams.get('next')).toBe('/users?cursor=3');

        const bad = await atTheEdge('/api/users', { headers: { authorization: 'Bearer not-a-token' } });
        expect((bad as Response).status).toBe(401);
        expect(await (bad as Response).json()).toMatchObject({ code: 'invalid_token' });
      });

      it('passes a good token on with the verified identity, forged identity headers replaced', async () => {
        const token = await serverToken({ id: 42, role: 'user' });
        const passed = await atTheEdge('/api/users/42', {
          headers: {
            authorization: `Bearer ${token}`,
            'x-user-id': '1',
            'x-user-role': 'admin',
            'x-middleware-request-x-user-id': '1',
            'x-middleware-override-headers': 'x-user-id,x-user-role',
          },
        });
        expect(passed).not.toBeInstanceOf(Response);
        const headers = Object.fromEntries(
          Object.entries((passed as CloudFrontRequest).headers).map(([name, values]) => [
            name,
            values.map((each) => each.value),
          ]),
        );
        expect(headers['x-user-id']).toEqual(['42']);
        expect(headers['x-user-role']).toEqual(['user']);
        expect(Object.keys(headers).filter((name) => name.startsWith('x-middleware-request'))).toEqual([]);
        expect((passed as CloudFrontRequest).uri).toBe('/api/users/42');
      });

      it('never lets a client’s Host, X-Forwarded-Host or Forwarded name the host of a link', async () => {
        const steer = { 'x-forwarded-host': 'attacker.example', forwarded: 'host=attacker.example;proto=http' };
        const page = (await atTheEdge('/account', { headers: steer })) as Response;
        expect(page.headers.get('location') ?? '').not.toContain('attacker.example');

        const email = `cloudfront-${crypto.randomUUID()}@example.com`;
        const registered = await viaCloudFront('/api/auth/register', {
          method: 'POST',
          headers: { 'content-type': 'application/json', ...steer },
          body: JSON.stringify({ name: 'Steer Check', email, password: `pw-${crypto.randomUUID()}` }),
        });
        expect(registered.status).toBe(201);
        const text = JSON.stringify([...registered.headers]) + (await registered.text());
        expect(text).not.toContain('attacker.example');
        const last = forwarded.at(-1)!;
        expect(last.headers['x-forwarded-host']).toBeUndefined();
        expect(last.headers.forwarded).toBeUndefined();
        expect(last.headers.host).toBe(origin.functionHost);
        // Secure cookies: the app saw https at the public origin (TRUST_PROXY, X-Forwarded-Proto from the URL).
        expect(registered.headers.getSetCookie().some((cookie) => cookie.startsWith('__Host-'))).toBe(true);
      });

      it('refuses a request to the Function URL that did not come through CloudFront (403)', async () => {
        const request = (await atTheEdge('/api/hello')) as CloudFrontRequest;
        for (const secret of [undefined, 'guessed-secret']) {
          const direct = functionUrlEvent(request, undefined, {
            ...origin,
            customHeaders: secret ? { 'x-origin-secret': secret } : {},
          });
          const answer = responseFromResult(await server.invoke(direct));
          expect(answer.status).toBe(403);
          expect(await answer.json()).toMatchObject({ code: 'not_through_cdn' });
        }
      });

      it('reads its secrets from SSM Parameter Store, signed, decrypted, once per instance', () => {
        const asked = store.requests.map((request) => request.names.sort());
        expect(asked).toContainEqual(['/edge-users-api/jwt-secret', '/edge-users-api/public-origin']);
        expect(asked).toContainEqual(Object.keys(parameters).sort());
        expect(store.requests).toHaveLength(2);
        for (const request of store.requests) {
          expect(request.target).toBe('AmazonSSM.GetParameters');
          expect(request.withDecryption).toBe(true);
          expect(request.authorization).toMatch(
            /^AWS4-HMAC-SHA256 Credential=\w+\/\d{8}\/us-east-1\/ssm\/aws4_request/,
          );
        }
      });

      it(
        'answers hello, the API and the pages through CloudFront, the edge gate and the server function',
        SERVING,
        async () => {
          await expectDeployedAppAnswers(viaCloudFront, 'cloudfront');
        },
      );

      it.runIf(browserAvailable())(
        'signs in, adds a user (Server Actions) and signs out in a browser over https as CloudFront forwards it, no 403',
        async () => {
          const host = new URL(PUBLIC_ORIGIN).host;
          const email = `cloudfront-browser-${crypto.randomUUID()}@example.com`;
          const password = `pw-${crypto.randomUUID()}`;
          const registered = await viaCloudFront('/api/auth/register', {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({ name: 'Browser Admin', email, password }),
          });
          expect(registered.status).toBe(201);
          const { user } = (await registered.json()) as { user: { id: number } };
          await serverSql(`UPDATE users SET role = 'admin' WHERE id = $1`, [user.id]);

          const distribution = await startDistribution(
            host,
            stack.bucketAsset('_next'),
            viaCloudFront,
            temporaryFolder('cloudfront-tls-'),
          );
          const browser = await chromium.launch({
            executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
            args: [
              '--headless',
              '--no-sandbox',
              '--disable-gpu',
              '--disable-quic',
              '--no-first-run',
              '--disable-background-networking',
              `--host-resolver-rules=MAP ${host} 127.0.0.1:${distribution.port}`,
            ],
          });
          try {
            const page = await (await browser.newContext({ ignoreHTTPSErrors: true })).newPage();
            await page.goto(`${PUBLIC_ORIGIN}/users`);
            await page.waitForURL((url) => url.pathname === '/login');
            await page.getByLabel('Email').fill(email);
            await page.getByLabel('Password').fill(password);
            await page.getByRole('button', { name: 'Sign in' }).click();
            await page.waitForURL((url) => url.pathname === '/users');
            await page.getByRole('heading', { level: 1, name: 'Users' }).waitFor();
            const cookies = await page.context().cookies();
            expect(cookies.filter((cookie) => cookie.name.startsWith('__Host-')).length).toBeGreaterThan(0);
            expect(cookies.every((cookie) => cookie.secure)).toBe(true);

            const name = `Added Through CloudFront ${crypto.randomUUID().slice(0, 8)}`;
            await page.getByLabel('Name').fill(name);
            await page.getByLabel('Email').fill(`added-${crypto.randomUUID()}@example.com`);
            await page.getByRole('button', { name: 'Add user' }).click();
            await page.getByText(`Added ${name}.`).waitFor();
            expect(await page.getByLabel(`Invitation link for ${name}`).inputValue()).toMatch(
              new RegExp(`^${PUBLIC_ORIGIN}/invite/`),
            );

            await page.getByRole('button', { name: 'Sign out' }).click();
            await page.waitForURL((url) => url.pathname === '/login');
            expect((await page.context().cookies()).filter((cookie) => cookie.name.includes('access'))).toEqual([]);
            const refused = distribution.statuses.filter(({ status }) => status === 403 || status >= 500);
            expect(refused).toEqual([]);
            expect(
              distribution.statuses.some(({ path, status }) => path.startsWith('/_next/static/') && status === 200),
            ).toBe(true);
          } finally {
            await browser.close();
            await distribution.stop();
          }
        },
        SERVING.timeout,
      );
    });
  });
});
