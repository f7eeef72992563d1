// Runs a built Lambda handler in a Node.js process of its own, as Lambda does, and converts between Web
// requests and API Gateway HTTP API (payload 2.0) events and results.
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import type { Readable, Writable } from 'node:stream';
import type { Sent } from './deployment.ts';

interface ApiGatewayResult {
  statusCode: number;
  headers?: Record<string, string>;
  multiValueHeaders?: Record<string, string[]>;
  cookies?: string[];
  body?: string;
  isBase64Encoded?: boolean;
}

/** The child: imports the handler once, then answers one event per stdin line on file descriptor 3. */
const DRIVER = `
import { createInterface } from 'node:readline';
import { createWriteStream } from 'node:fs';
const out = createWriteStream(null, { fd: 3 });
const { handler } = await import(process.env.LAMBDA_HANDLER);
for await (const line of createInterface({ input: process.stdin })) {
  const { id, event } = JSON.parse(line);
  const context = { awsRequestId: id, functionName: 'server', getRemainingTimeInMillis: () => 30000 };
  try {
    out.write(JSON.stringify({ id, result: await handler(event, context) }) + '\\n');
  } catch (error) {
    out.write(JSON.stringify({ id, error: String(error?.stack ?? error) }) + '\\n');
  }
}`;

export interface LambdaProcess {
  invoke(event: object): Promise<ApiGatewayResult>;
  stop(): void;
}

export function startLambda(handlerFile: string, cwd: string, env: Record<string, string>): LambdaProcess {
  const child: ChildProcess = spawn(process.execPath, ['--input-type=module', '-e', DRIVER], {
    cwd,
    stdio: ['pipe', 'inherit', 'pipe', 'pipe'],
    env: { PATH: process.env.PATH, NODE_ENV: 'production', LAMBDA_HANDLER: handlerFile, ...env },
  });
  const pending = new Map<number, { resolve(result: ApiGatewayResult): void; reject(error: Error): void }>();
  // What the function logs to stderr, passed on, and kept to explain an exit.
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-4_000);
    process.stderr.write(chunk);
  });
  let exited: Error | undefined;
  createInterface({ input: child.stdio[3] as Readable }).on('line', (line) => {
    const { id, result, error } = JSON.parse(line) as { id: number; result?: ApiGatewayResult; error?: string };
    const waiting = pending.get(id);
    pending.delete(id);
    if (error !== undefined) waiting?.reject(new Error(error));
    else waiting?.resolve(result!);
  });
  child.on('exit', (code, signal) => {
    exited = new Error(`the Lambda process exited (${signal ?? code}): ${stderr}`);
    for (const waiting of pending.values()) waiting.reject(exited);
    pending.clear();
  });
  let next = 0;
  return {
    invoke(event) {
      const id = next++;
      return new Promise((resolve, reject) => {
        if (exited) return reject(exited);
        pending.set(id, { resolve, reject });
        (child.stdin as Writable).write(`${JSON.stringify({ id, event })}\n`);
      });
    },
    stop: () => child.kill('SIGTERM'),
  };
}

/** An API Gateway HTTP API (payload 2.0) event for a request to `path`, as a client on the internet sends it. */
export function apiGatewayEvent(path: string, init: Sent = {}): object {
  const url = new URL(path, 'https://api.example.com');
  const method = init.method ?? 'GET';
  const headers: Record<string, string> = { host: url.host, 'user-agent': 'lambda-test', 'x-forwarded-proto': 'https' };
  const cookies: string[] = [];
  for (const [name, value] of Object.entries(init.headers ?? {})) {
    if (name.toLowerCase() === 'cookie') cookies.push(...value.split(/;\s*/));
    else headers[name.toLowerCase()] = value;
  }
  return {
    version: '2.0',
    routeKey: '$default',
    rawPath: url.pathname,
    rawQueryString: url.search.slice(1),
    ...(cookies.length > 0 ? { cookies } : {}),
    headers,
    requestContext: {
      accountId: '123456789012',
      apiId: 'api',
      domainName: url.host,
      domainPrefix: 'api',
      http: { method, path: url.pathname, protocol: 'HTTP/1.1', sourceIp: '203.0.113.7', userAgent: 'lambda-test' },
      requestId: crypto.randomUUID(),
      routeKey: '$default',
      stage: '$default',
      time: new Date().toUTCString(),
      timeEpoch: Date.now(),
    },
    ...(init.body === undefined ? {} : { body: init.body }),
    isBase64Encoded: false,
  };
}

export function responseFromResult(result: ApiGatewayResult): Response {
  const headers = new Headers();
  for (const [name, value] of Object.entries(result.headers ?? {})) headers.set(name, value);
  for (const [name, values] of Object.entries(result.multiValueHeaders ?? {})) {
    for (const value of values) headers.append(name, value);
  }
  for (const cookie of result.cookies ?? []) headers.append('set-cookie', cookie);
  const body = result.isBase64Encoded ? Buffer.from(result.body ?? '', 'base64') : (result.body ?? '');
  const empty = result.statusCode === 204 || result.statusCode === 304;
  return new Response(empty ? null : body, { status: result.statusCode, headers });
}
