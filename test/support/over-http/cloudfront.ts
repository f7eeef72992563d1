// What the AWS stack (scripts/aws) deploys, run here as CloudFront would run it: the synthesized template's
// assets (the folders `cdk deploy` uploads), the edge gate invoked with CloudFront viewer-request events, what it
// passes on sent to the server function as a Function URL event with the origin request policy and the origin's
// custom headers applied, and SSM Parameter Store answered by a local stand-in.
import { spawnSync } from 'node:child_process';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Sent } from './deployment.ts';

/** The AWS CDK CLI and SDK the stack's folder installs (`npm run aws:install`). */
export const AWS_DIR = resolve('scripts/aws');
export const CDK_CLI = join(AWS_DIR, 'node_modules/.bin/cdk');
/** What the Lambda runtime puts on NODE_PATH: the AWS SDK the functions' settings loader requires. */
export const SDK_NODE_PATH = join(AWS_DIR, 'node_modules');

/** `cdk synth` of the stack for the OpenNext output in `openNextDir`, into `outdir`; throws with its output. */
export function synthesize(openNextDir: string, outdir: string, context: Record<string, string> = {}): void {
  const args = ['synth', '--quiet', '--no-notices', '--output', outdir, '-c', `openNextDir=${openNextDir}`];
  for (const [name, value] of Object.entries(context)) args.push('-c', `${name}=${value}`);
  const { status, stdout, stderr } = spawnSync(CDK_CLI, args, {
    cwd: AWS_DIR,
    encoding: 'utf8',
    // No AWS credentials or region from the caller's shell: synth must not need them.
    env: {
      PATH: `${resolve('node_modules/.bin')}:${process.env.PATH}`,
      HOME: process.env.HOME,
      CDK_DISABLE_CLI_TELEMETRY: 'true',
    } as unknown as NodeJS.ProcessEnv,
  });
  if (status !== 0) throw new Error(`cdk synth failed (${status}): ${stdout}\n${stderr}`);
}

interface TemplateResource {
  Type: string;
  Properties: Record<string, unknown>;
}

export interface SynthesizedStack {
  template: { Resources: Record<string, TemplateResource>; Parameters?: Record<string, unknown> };
  /** The folder a function's code asset was staged in: what its zip holds. */
  functionAsset(handler: string): string;
  /** A function's environment variables in the template. */
  functionEnvironment(handler: string): Record<string, string>;
  /** The folder a bucket deployment copies into the bucket, by its key prefix ('' for the root). */
  bucketAsset(prefix: string): string;
}

export function readSynthesized(outdir: string, stackName = 'EdgeUsersApi'): SynthesizedStack {
  const template = JSON.parse(
    readFileSync(join(outdir, `${stackName}.template.json`), 'utf8'),
  ) as SynthesizedStack['template'];
  const resources = Object.values(template.Resources);
  const assetFolder = (key: string) => join(outdir, `asset.${key.replace(/\.zip$/, '')}`);
  const fn = (handler: string) => {
    const found = resources.find(
      (each) => each.Type === 'AWS::Lambda::Function' && each.Properties.Handler === handler,
    );
    if (!found) throw new Error(`no function with handler ${handler} in the template`);
    return found.Properties;
  };
  return {
    template,
    functionAsset: (handler) => assetFolder((fn(handler).Code as { S3Key: string }).S3Key),
    functionEnvironment: (handler) =>
      (fn(handler).Environment as { Variables?: Record<string, string> } | undefined)?.Variables ?? {},
    bucketAsset(prefix) {
      const found = resources.find(
        (each) =>
          each.Type === 'Custom::CDKBucketDeployment' && (each.Properties.DestinationBucketKeyPrefix ?? '') === prefix,
      );
      if (!found) throw new Error(`no bucket deployment to /${prefix}`);
      const [key] = found.Properties.SourceObjectKeys as string[];
      return assetFolder(key!);
    },
  };
}

/** A stand-in for SSM Parameter Store's GetParameters (JSON protocol), recording what it was asked. */
export interface ParameterStore {
  url: string;
  requests: { target: string; authorization: string; names: string[]; withDecryption: boolean }[];
  stop(): Promise<void>;
}

function body(req: IncomingMessage): Promise<string> {
  return new Promise((done, fail) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => done(Buffer.concat(chunks).toString('utf8')));
    req.on('error', fail);
  });
}

export async function startParameterStore(values: Record<string, string>): Promise<ParameterStore> {
  const requests: ParameterStore['requests'] = [];
  const server: Server = createServer(async (req, res) => {
    const { Names = [], WithDecryption = false } = JSON.parse(await body(req)) as {
      Names?: string[];
      WithDecryption?: boolean;
    };
    requests.push({
      target: String(req.headers['x-amz-target']),
      authorization: String(req.headers.authorization),
      names: Names,
      withDecryption: WithDecryption,
    });
    const known = Names.filter((name) => name in values);
    res.writeHead(200, { 'content-type': 'application/x-amz-json-1.1' });
    res.end(
      JSON.stringify({
        Parameters: known.map((name) => ({ Name: name, Type: 'SecureString', Value: values[name], Version: 1 })),
        InvalidParameters: Names.filter((name) => !(name in values)),
      }),
    );
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    stop: () => new Promise((done) => server.close(() => done())),
  };
}

/** The environment the Lambda runtime gives a function: its region, role credentials, and the SDK on NODE_PATH. */
export function lambdaRuntimeEnv(store: ParameterStore, region = 'us-east-1'): Record<string, string> {
  return {
    AWS_REGION: region,
    AWS_ACCESS_KEY_ID: 'ASIATESTTESTTESTTEST',
    AWS_SECRET_ACCESS_KEY: 'test-secret-access-key',
    AWS_SESSION_TOKEN: 'test-session-token',
    AWS_ENDPOINT_URL_SSM: store.url,
    NODE_PATH: SDK_NODE_PATH,
  };
}

type CloudFrontHeaders = Record<string, { key?: string; value: string }[]>;

export interface CloudFrontRequest {
  clientIp: string;
  method: string;
  uri: string;
  querystring: string;
  headers: CloudFrontHeaders;
}

export interface CloudFrontResponse {
  status: string;
  statusDescription?: string;
  headers?: CloudFrontHeaders;
  body?: string;
  bodyEncoding?: 'text' | 'base64';
}

/** CloudFront's headers for a viewer's request to `url` (Host is the distribution's name, as the viewer sent it). */
function viewerHeaders(url: URL, init: Sent): CloudFrontHeaders {
  const headers: CloudFrontHeaders = {
    host: [{ key: 'Host', value: url.host }],
    'user-agent': [{ key: 'User-Agent', value: 'cloudfront-test' }],
  };
  for (const [name, value] of Object.entries(init.headers ?? {})) headers[name.toLowerCase()] = [{ key: name, value }];
  return headers;
}

/** A viewer-request event as CloudFront sends the edge gate (no body: the association does not include it). */
export function viewerRequestEvent(href: string, init: Sent = {}, clientIp = '203.0.113.7') {
  const url = new URL(href);
  const request: CloudFrontRequest = {
    clientIp,
    method: init.method ?? 'GET',
    uri: url.pathname,
    querystring: url.search.slice(1),
    headers: viewerHeaders(url, init),
  };
  return {
    Records: [
      {
        cf: {
          config: {
            distributionDomainName: url.host,
            distributionId: 'EDFDVBD6EXAMPLE',
            eventType: 'viewer-request',
            requestId: crypto.randomUUID(),
          },
          request,
        },
      },
    ],
  };
}

export function isCloudFrontResponse(result: object): result is CloudFrontResponse {
  return 'status' in result;
}

/** The response the edge answered with itself. */
export function responseFromCloudFront(result: CloudFrontResponse): Response {
  const headers = new Headers();
  for (const values of Object.values(result.headers ?? {})) {
    for (const { key, value } of values) if (key) headers.append(key, value);
  }
  const body = result.bodyEncoding === 'base64' ? Buffer.from(result.body ?? '', 'base64') : (result.body ?? '');
  const status = Number(result.status);
  return new Response(status === 204 || status === 304 ? null : body, { status, headers });
}

export interface OriginSettings {
  /** The Function URL's own host, which CloudFront sends as Host (the policy does not forward the viewer's). */
  functionHost: string;
  /** The distribution's origin custom headers. */
  customHeaders: Record<string, string>;
  /** The headers the origin request policy leaves out (allExcept). */
  droppedHeaders: string[];
}

/**
 * What CloudFront then sends the Function URL origin, as the function receives it (API Gateway payload 2.0): the
 * request the edge passed on, without the headers the policy drops, with the custom headers set over any viewer
 * header of the same name, CloudFront's own X-Forwarded-For entry appended, and the viewer's body.
 */
export function functionUrlEvent(request: CloudFrontRequest, body: string | undefined, origin: OriginSettings): object {
  const headers: Record<string, string> = {};
  for (const [name, values] of Object.entries(request.headers)) {
    if (origin.droppedHeaders.includes(name)) continue;
    headers[name] = values.map(({ value }) => value).join(name === 'cookie' ? '; ' : ', ');
  }
  Object.assign(headers, origin.customHeaders);
  headers.host = origin.functionHost;
  headers['x-forwarded-for'] = [headers['x-forwarded-for'], request.clientIp, '130.176.0.1'].filter(Boolean).join(', ');
  headers['x-forwarded-proto'] = 'https';
  headers['x-forwarded-port'] = '443';
  headers['via'] = '2.0 example.cloudfront.net (CloudFront)';
  const cookies = headers.cookie ? headers.cookie.split(/;\s*/) : undefined;
  delete headers.cookie;
  return {
    version: '2.0',
    routeKey: '$default',
    rawPath: request.uri,
    rawQueryString: request.querystring,
    ...(cookies ? { cookies } : {}),
    headers,
    requestContext: {
      accountId: 'anonymous',
      apiId: origin.functionHost.split('.')[0],
      domainName: origin.functionHost,
      domainPrefix: origin.functionHost.split('.')[0],
      http: {
        method: request.method,
        path: request.uri,
        protocol: 'HTTP/1.1',
        sourceIp: '130.176.0.1',
        userAgent: headers['user-agent'] ?? '',
      },
      requestId: crypto.randomUUID(),
      routeKey: '$default',
      stage: '$default',
      time: new Date().toUTCString(),
      timeEpoch: Date.now(),
    },
    ...(body === undefined ? {} : { body }),
    isBase64Encoded: false,
  };
}

/**
 * The server origin as the template configures it: the headers its origin request policy leaves out, and its
 * custom headers, each `{ Ref }` to an SSM-typed template parameter resolved as CloudFormation would, from `values`.
 */
export function originFromTemplate(stack: SynthesizedStack, values: Record<string, string>): OriginSettings {
  const resources = Object.values(stack.template.Resources);
  const policy = resources.find((each) => each.Type === 'AWS::CloudFront::OriginRequestPolicy');
  const headersConfig = (
    policy?.Properties.OriginRequestPolicyConfig as { HeadersConfig: { HeaderBehavior: string; Headers?: string[] } }
  ).HeadersConfig;
  if (headersConfig.HeaderBehavior !== 'allExcept')
    throw new Error(`unexpected header behaviour ${headersConfig.HeaderBehavior}`);
  const distribution = resources.find((each) => each.Type === 'AWS::CloudFront::Distribution');
  const origins = (
    distribution?.Properties.DistributionConfig as {
      Origins: { CustomOriginConfig?: unknown; OriginCustomHeaders?: { HeaderName: string; HeaderValue: unknown }[] }[];
    }
  ).Origins;
  const server = origins.find((origin) => origin.CustomOriginConfig);
  const customHeaders: Record<string, string> = {};
  for (const { HeaderName, HeaderValue } of server?.OriginCustomHeaders ?? []) {
    const ref = (HeaderValue as { Ref?: string }).Ref;
    const parameter = ref ? (stack.template.Parameters?.[ref] as { Default?: string } | undefined) : undefined;
    const value = parameter?.Default
      ? values[parameter.Default]
      : typeof HeaderValue === 'string'
        ? HeaderValue
        : undefined;
    if (value === undefined) throw new Error(`cannot resolve the origin header ${HeaderName}`);
    customHeaders[HeaderName.toLowerCase()] = value;
  }
  return {
    functionHost: 'abcdefghijklmnopqrstuvwxyz012345.lambda-url.us-east-1.on.aws',
    customHeaders,
    droppedHeaders: (headersConfig.Headers ?? []).map((name) => name.toLowerCase()),
  };
}

/** The hop-by-hop headers CloudFront never passes on. */
const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'transfer-encoding', 'upgrade', 'proxy-connection', 'host']);

/**
 * A TLS listener on 127.0.0.1 that plays the distribution for a browser: `/_next/static/*` from the folder the
 * bucket receives, everything else through `send` (the gate, then the server function). Its certificate is
 * self-signed for `host`; the browser maps the name to this port and accepts it.
 */
export async function startDistribution(
  host: string,
  staticDir: string,
  send: (path: string, init: Sent) => Promise<Response>,
  workDir: string,
): Promise<{ port: number; statuses: { path: string; status: number }[]; stop(): Promise<void> }> {
  const { createServer: createTlsServer } = await import('node:https');
  const key = join(workDir, 'key.pem');
  const cert = join(workDir, 'cert.pem');
  const made = spawnSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-keyout',
      key,
      '-out',
      cert,
      '-days',
      '1',
      '-subj',
      `/CN=${host}`,
      '-addext',
      `subjectAltName=DNS:${host}`,
    ],
    { encoding: 'utf8' },
  );
  if (made.status !== 0) throw new Error(`openssl failed: ${made.stderr}`);
  const statuses: { path: string; status: number }[] = [];
  const server = createTlsServer({ key: readFileSync(key), cert: readFileSync(cert) }, async (req, res) => {
    const path = req.url ?? '/';
    try {
      if (path.startsWith('/_next/static/')) {
        const file = join(staticDir, decodeURIComponent(new URL(path, 'https://x').pathname.slice('/_next/'.length)));
        const type = file.endsWith('.js')
          ? 'text/javascript'
          : file.endsWith('.css')
            ? 'text/css'
            : 'application/octet-stream';
        let content: Buffer;
        try {
          content = readFileSync(file);
        } catch {
          statuses.push({ path, status: 404 });
          res.writeHead(404).end();
          return;
        }
        statuses.push({ path, status: 200 });
        res
          .writeHead(200, { 'content-type': type, 'cache-control': 'public, max-age=31536000, immutable' })
          .end(content);
        return;
      }
      const headers: Record<string, string> = {};
      for (const [name, value] of Object.entries(req.headers)) {
        if (!HOP_BY_HOP.has(name) && value !== undefined)
          headers[name] = Array.isArray(value) ? value.join(', ') : value;
      }
      const method = req.method ?? 'GET';
      const text = method === 'GET' || method === 'HEAD' ? undefined : await body(req);
      const response = await send(path, { method, headers, ...(text === undefined ? {} : { body: text }) });
      statuses.push({ path, status: response.status });
      const out: Record<string, string | string[]> = {};
      response.headers.forEach((value, name) => {
        if (name !== 'set-cookie' && name !== 'content-length' && name !== 'content-encoding') out[name] = value;
      });
      const cookies = response.headers.getSetCookie();
      if (cookies.length > 0) out['set-cookie'] = cookies;
      res.writeHead(response.status, out).end(Buffer.from(await response.arrayBuffer()));
    } catch (error) {
      statuses.push({ path, status: 599 });
      res.writeHead(502).end(String(error));
    }
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const { port } = server.address() as { port: number };
  return { port, statuses, stop: () => new Promise((done) => server.close(() => done())) };
}
