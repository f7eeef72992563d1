// Reads what `vercel build` wrote to .vercel/output/functions: each function's runtime and size as the
// platform counts it, and runs one on its own, outside the project: an edge function in @edge-runtime/vm
// (the host compiles its WASM, as Vercel's edge does), a Node.js function from its files alone.
import { cpSync, existsSync, lstatSync, mkdirSync, readdirSync, readFileSync, realpathSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative } from 'node:path';
import { gzipSync } from 'node:zlib';
import { EdgeVM } from '@edge-runtime/vm';

/** Vercel Hobby's limit for one edge function: its code and WASM, gzipped. */
export const EDGE_LIMIT_BYTES = 1024 * 1024;
/** Vercel's limit for one Node.js function: every file it deploys, unzipped (all plans). */
export const NODE_LIMIT_BYTES = 250 * 1000 * 1000;

interface FunctionConfig {
  runtime: string;
  entrypoint?: string;
  handler?: string;
  environment?: Record<string, string>;
  /** Where the platform runs it; none means every region (edge) or the project's region (Node.js). */
  regions?: string[] | string;
  /** Files deployed with the function, by their path in it, taken from the project folder. */
  filePathMap?: Record<string, string>;
}

export interface VercelFunction {
  /** The route, e.g. `api/users` or `login`. */
  name: string;
  /** Other routes served by the same function (Vercel links them to it). */
  aliases: string[];
  dir: string;
  edge: boolean;
  runtime: string;
  config: FunctionConfig;
  files: number;
  /** Every deployed file, unzipped (Node.js functions' measure). */
  bytes: number;
  /** Code and WASM, each gzipped, source maps left out (edge functions' measure). */
  gzipBytes: number;
}

function walkFunctions(dir: string, root: string, found: { name: string; path: string; link: boolean }[]) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    const name = relative(root, path).replace(/\.func$/, '');
    if (entry.name.endsWith('.func')) found.push({ name, path, link: entry.isSymbolicLink() });
    else if (entry.isDirectory()) walkFunctions(path, root, found);
  }
}

/** Files of a function: those in its folder and those it maps in from the project, by deployed path. */
export function functionFiles(funcDir: string, config: FunctionConfig, projectDir: string): Map<string, string> {
  const files = new Map<string, string>();
  for (const entry of readdirSync(funcDir, { withFileTypes: true, recursive: true })) {
    if (!entry.isFile()) continue;
    const path = join(entry.parentPath, entry.name);
    files.set(relative(funcDir, path), path);
  }
  for (const [deployed, source] of Object.entries(config.filePathMap ?? {})) {
    files.set(deployed, join(projectDir, source));
  }
  return files;
}

/** Every function in `<projectDir>/.vercel/output/functions`, once each, with the routes linked to it. */
export function listVercelFunctions(projectDir: string): VercelFunction[] {
  const root = join(projectDir, '.vercel/output/functions');
  const found: { name: string; path: string; link: boolean }[] = [];
  walkFunctions(root, root, found);
  const byDir = new Map<string, VercelFunction>();
  for (const { name, path, link } of found.sort((a, b) => Number(a.link) - Number(b.link))) {
    const dir = realpathSync(path);
    const known = byDir.get(dir);
    if (known) {
      known.aliases.push(name);
      continue;
    }
    if (link) throw new Error(`${name}.func links to ${dir}, which is not a function of this output`);
    const config = JSON.parse(readFileSync(join(dir, '.vc-config.json'), 'utf8')) as FunctionConfig;
    const files = functionFiles(dir, config, projectDir);
    let bytes = 0;
    let gzipBytes = 0;
    for (const [deployed, source] of files) {
      bytes += lstatSync(source).size;
      if (/\.(c|m)?js$|\.wasm$/.test(deployed)) gzipBytes += gzipSync(readFileSync(source), { level: 9 }).byteLength;
    }
    byDir.set(dir, {
      name,
      aliases: [],
      dir,
      edge: config.runtime === 'edge',
      runtime: config.runtime,
      config,
      files: files.size,
      bytes,
      gzipBytes,
    });
  }
  return [...byDir.values()].sort((a, b) => a.name.localeCompare(b.name));
}

/** One function's folder and settings by route name, without measuring anything. */
export function vercelFunction(projectDir: string, name: string): Pick<VercelFunction, 'dir' | 'config' | 'name'> {
  const dir = realpathSync(join(projectDir, '.vercel/output/functions', `${name}.func`));
  return { name, dir, config: JSON.parse(readFileSync(join(dir, '.vc-config.json'), 'utf8')) as FunctionConfig };
}

/** The plan limit a function breaks, or null when it fits. */
export function overLimit(fn: VercelFunction): string | null {
  if (fn.edge && fn.gzipBytes > EDGE_LIMIT_BYTES) return `edge function over 1 MiB gzipped`;
  if (!fn.edge && fn.bytes > NODE_LIMIT_BYTES) return `Node.js function over 250 MB unzipped`;
  return null;
}

/** The Node.js modules Vercel's edge runtime provides; any other import fails there, so it fails here. */
const EDGE_NODE_MODULES = new Set(['async_hooks', 'buffer', 'events', 'util', 'assert']);

export type EdgeHandler = (request: Request) => Promise<Response>;

export interface LoadedEdgeFunction {
  handler: EdgeHandler;
  vm: EdgeVM;
  /** Milliseconds to create the VM, compile the WASM and evaluate the function's code, up to its first request. */
  setupMs: number;
}

/**
 * Loads an edge function as Vercel's edge runtime does: a fresh isolate (here @edge-runtime/vm), the WASM
 * compiled by the host and bound to the `require("/wasm/…")` the builder emitted, the settings in
 * `process.env`. Its default export becomes the handler (the VM evaluates scripts, not modules).
 */
export async function loadEdgeFunction(
  fn: Pick<VercelFunction, 'dir' | 'config' | 'name'>,
  projectDir: string,
  env: Record<string, string>,
): Promise<LoadedEdgeFunction> {
  const started = performance.now();
  const files = functionFiles(fn.dir, fn.config, projectDir);
  const wasm = new Map<string, WebAssembly.Module>();
  for (const [deployed, source] of files) {
    if (deployed.endsWith('.wasm')) wasm.set(`/${deployed}`, new WebAssembly.Module(readFileSync(source)));
  }
  const nodeRequire = createRequire(import.meta.url);
  const vm = new EdgeVM({
    extend: (context) => {
      Object.assign(context, {
        // Vercel's edge runtime exposes AsyncLocalStorage as a global too; Next's request context reads it there.
        AsyncLocalStorage: nodeRequire('node:async_hooks').AsyncLocalStorage,
        process: { env: { NODE_ENV: 'production', ...fn.config.environment, ...env } },
        require: (specifier: string) => {
          const compiled = wasm.get(specifier);
          if (compiled) return compiled;
          const builtin = specifier.replace(/^node:/, '');
          if (!EDGE_NODE_MODULES.has(builtin))
            throw new Error(`${fn.name}: the edge runtime has no module ${specifier}`);
          return nodeRequire(`node:${builtin}`);
        },
      });
      return context;
    },
  });
  const entrypoint = files.get(fn.config.entrypoint ?? 'index.js');
  if (!entrypoint) throw new Error(`${fn.name}: no entrypoint ${fn.config.entrypoint}`);
  const code = readFileSync(entrypoint, 'utf8');
  const exported = code.lastIndexOf('export default ');
  if (exported < 0) throw new Error(`${fn.name}: the entrypoint has no default export`);
  vm.evaluate(
    `${code.slice(0, exported)}globalThis.__edgeHandler = ${code.slice(exported + 'export default '.length)}`,
  );
  const run = vm.context.__edgeHandler as (
    request: Request,
    context: { waitUntil(p: Promise<unknown>): void },
  ) => Promise<Response>;
  // Next.js's entry evaluates some of its modules in promise callbacks it queues: they finish before the isolate
  // takes its first request, so they are set-up too. (The route's own modules load on its first request.)
  await new Promise((resolve) => setImmediate(resolve));
  const setupMs = performance.now() - started;
  const handler: EdgeHandler = async (request) => {
    const pending: Promise<unknown>[] = [];
    // The request is rebuilt inside the VM, as the platform hands the isolate its own Request.
    const body = request.body ? await request.arrayBuffer() : undefined;
    const inner = new vm.context.Request(request.url, { method: request.method, headers: request.headers, body });
    const response = await run(inner, { waitUntil: (promise) => pending.push(promise) });
    await Promise.allSettled(pending);
    return response;
  };
  return { handler, vm, setupMs };
}

/** Copies a Node.js function's deployed files, and nothing else, into `dest`: the folder Vercel would run. */
export function materializeNodeFunction(fn: VercelFunction, projectDir: string, dest: string): string {
  for (const [deployed, source] of functionFiles(fn.dir, fn.config, projectDir)) {
    const target = join(dest, deployed);
    mkdirSync(dirname(target), { recursive: true });
    cpSync(source, target);
  }
  const handler = join(dest, fn.config.handler ?? 'index.js');
  if (!existsSync(handler)) throw new Error(`${fn.name}: no handler ${fn.config.handler}`);
  return handler;
}

function size(bytes: number): string {
  return bytes >= 1e6 ? `${(bytes / 1e6).toFixed(2)} MB` : `${(bytes / 1024).toFixed(1)} KiB`;
}

export function formatFunctions(functions: VercelFunction[]): string {
  const rows = functions.map((fn) => {
    const measure = fn.edge ? fn.gzipBytes : fn.bytes;
    const limit = fn.edge ? EDGE_LIMIT_BYTES : NODE_LIMIT_BYTES;
    const routes = [fn.name, ...fn.aliases.filter((alias) => !alias.endsWith('.rsc'))].map((r) => `\`/${r}\``);
    return `| ${routes.join(', ')} | ${fn.runtime} | ${fn.files} | ${size(measure)} ${fn.edge ? 'gzipped' : 'unzipped'} | ${((measure / limit) * 100).toFixed(0)}% |`;
  });
  return ['| function | runtime | files | size | of limit |', '| --- | --- | --: | --: | --: |', ...rows].join('\n');
}
