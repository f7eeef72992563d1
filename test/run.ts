// `npm test`: every suite, each run even when another failed, with a summary line per suite at the end and a
// non-zero exit if any failed. The production build is made once and shared by the suites that run it. Suites run
// side by side so both cores stay busy: the unit suite beside the build and then the platforms' own builds, then
// the suites that serve the build over HTTP beside what is left of the platform builds. Each suite's output is
// prefixed with its name and kept in test-results/<suite>.log.
import { spawn } from 'node:child_process';
import { createWriteStream, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { readCommandLine, UsageError } from '../scripts/command-line.ts';
import { DEFAULT_PROOF_RUNS } from './support/proof/server.ts';

/** The proof's depth in `npm test`: every proof runs, with fewer generated requests than `npm run test:proof`. */
const QUICK_PROOF_RUNS = 2_000;

const USAGE = `usage: npm test [-- --suite <name> ...]

Runs the test suites, side by side, and prints one summary line per suite; exits 1 if any failed.
  unit       edge code in the edge runtime and in Node.js, the tools in scripts/, the AWS stack (npm run test:unit)
  build      the production build (npm run build), made once for http and proof
  platforms  Vercel's and OpenNext's own builds of a clean copy, run as the platforms run them (npm run test:platforms)
  http       the production build over HTTP and in a browser                         (npm run test:http)
  proof      the production build under hostile input, races and faults (npm run test:proof); here ${QUICK_PROOF_RUNS}
             generated requests unless PROOF_RUNS says otherwise (npm run test:proof's own default: ${DEFAULT_PROOF_RUNS})

  --suite <name>   run only this suite (repeatable); http and proof build first unless SKIP_BUILD=1
  --help           this text`;

interface Suite {
  name: string;
  command: string[];
  /** Suites that run the production build; they wait for one `build` step and are skipped if it failed. */
  needsBuild?: boolean;
  /** Suites that start only once these have ended, passed or not. */
  after?: string[];
  /** Settings of the suite's own, unless already set. */
  defaults?: Record<string, string>;
}

const vitest = (...projects: string[]) => ['npx', 'vitest', 'run', ...projects.flatMap((name) => ['--project', name])];

// The unit suite keeps both cores busy with four workers; the build, then the platform builds, fill its gaps. The
// suites over HTTP run one test file at a time each: they start when the unit suite and the build are done, beside
// what is left of the platform builds.
const FIRST_WAVE = ['unit', 'build'];
const SUITES: Suite[] = [
  { name: 'unit', command: vitest('edge', 'node', 'aws') },
  { name: 'build', command: ['npm', 'run', 'build'] },
  // After the build, whose Turbopack cache its copies start from (as Vercel restores .next/cache between builds).
  { name: 'platforms', command: vitest('platforms'), after: ['build'] },
  { name: 'http', command: vitest('integration'), needsBuild: true, after: FIRST_WAVE },
  {
    name: 'proof',
    command: vitest('proof'),
    needsBuild: true,
    after: FIRST_WAVE,
    defaults: { PROOF_RUNS: String(QUICK_PROOF_RUNS) },
  },
];

interface Outcome {
  name: string;
  ok: boolean;
  seconds: number;
  /** CPU seconds of the suite's processes: on a busy machine the wall time swells, this much less. */
  cpuSeconds?: number;
  detail: string;
  /** The failed tests, as `file › name: first line of the message`, printed again under the summary. */
  failures?: string[];
}

const RESULTS = resolve('test-results');

/**
 * Runs the command through a small Node.js parent that, once it ends, writes the CPU seconds of the command and
 * everything it started (Linux: /proc/self/stat cutime + cstime, in ticks of 1/100 s) to `cpuFile`.
 */
const CPU_PARENT = `
const { spawn } = require('node:child_process');
const { readFileSync, writeFileSync } = require('node:fs');
const [cpuFile, command, ...args] = process.argv.slice(1);
const child = spawn(command, args, { stdio: 'inherit' });
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
child.on('error', () => process.exit(127));
child.on('exit', (code, signal) => {
  try {
    const fields = readFileSync('/proc/self/stat', 'utf8').split(') ')[1].split(' ');
    writeFileSync(cpuFile, String((Number(fields[13]) + Number(fields[14])) / 100));
  } catch {}
  process.exit(code ?? (signal ? 128 : 1));
});`;

/** Runs a suite's command, its output line by line prefixed with the suite's name and copied to `log`. */
function run(
  name: string,
  command: string[],
  env: NodeJS.ProcessEnv,
  log: string,
): Promise<{ code: number; cpuSeconds?: number }> {
  const cpuFile = join(RESULTS, `${name}.cpu`);
  rmSync(cpuFile, { force: true });
  const child = spawn(process.execPath, ['-e', CPU_PARENT, cpuFile, ...command], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env,
  });
  const file = createWriteStream(log);
  const prefix = `${name.padEnd(9)} │ `;
  for (const stream of [child.stdout, child.stderr]) {
    createInterface({ input: stream, crlfDelay: Infinity }).on('line', (line) => {
      file.write(`${line}\n`);
      process.stdout.write(`${prefix}${line}\n`);
    });
  }
  return new Promise((done) => {
    child.on('close', (code, signal) => {
      file.end();
      let cpuSeconds: number | undefined;
      try {
        cpuSeconds = Number(readFileSync(cpuFile, 'utf8'));
      } catch {
        // not on Linux
      }
      done({ code: code ?? (signal ? 128 : 1), cpuSeconds });
    });
  });
}

interface Report {
  numPassedTests: number;
  numFailedTests: number;
  numPendingTests: number;
  numTodoTests: number;
  testResults: {
    name: string;
    status: string;
    message?: string;
    assertionResults: { fullName: string; status: string; duration?: number; failureMessages?: string[] }[];
  }[];
}

const firstLine = (text = '') => text.trim().split('\n')[0]!.slice(0, 200);

/** Vitest's JSON report keeps a timeout's placeholder error, not its message: say what happened and when. */
function failureLine(test: Report['testResults'][number]['assertionResults'][number]): string {
  const message = firstLine(test.failureMessages?.[0]);
  const after = test.duration === undefined ? '' : ` (after ${Math.round(test.duration / 1000)} s)`;
  return (message === 'Error: STACK_TRACE_ERROR' ? 'timed out' : message) + after;
}

/** Counts and failed tests from vitest's JSON report, when it wrote one. */
function readReport(report: string): { detail: string; failures?: string[] } {
  let json: Report;
  try {
    json = JSON.parse(readFileSync(report, 'utf8')) as Report;
  } catch {
    return { detail: 'no report (vitest did not finish)' };
  }
  const unloaded = json.testResults.filter((file) => file.status === 'failed' && !file.assertionResults.length);
  const parts = [`${json.numPassedTests} passed`];
  if (json.numFailedTests) parts.push(`${json.numFailedTests} failed`);
  if (json.numPendingTests + json.numTodoTests) parts.push(`${json.numPendingTests + json.numTodoTests} skipped`);
  if (unloaded.length) parts.push(`${unloaded.length} files failed to load`);
  const failures = json.testResults.flatMap((file) => {
    const where = relative(process.cwd(), file.name);
    if (!file.assertionResults.length && file.status === 'failed') return [`${where}: ${firstLine(file.message)}`];
    return file.assertionResults
      .filter((test) => test.status === 'failed')
      .map((test) => `${where} › ${test.fullName}: ${failureLine(test)}`);
  });
  return { detail: parts.join(', '), failures };
}

const minutes = (seconds: number) =>
  `${Math.floor(seconds / 60)}m${String(Math.round(seconds % 60)).padStart(2, '0')}s`;

async function main(): Promise<number> {
  const names = SUITES.map((suite) => suite.name);
  const { values } = readCommandLine(
    USAGE,
    { suite: { type: 'string', multiple: true } },
    {
      check: ({ values }) => {
        const unknown = values.suite?.find((name) => !names.includes(name));
        if (unknown) throw new UsageError(`unknown suite "${unknown}"; the suites are ${names.join(', ')}`);
      },
    },
  );
  const chosen = new Set(values.suite ?? names);
  const skipBuild = process.env.SKIP_BUILD === '1';
  if (!skipBuild && SUITES.some((suite) => suite.needsBuild && chosen.has(suite.name))) chosen.add('build');
  if (skipBuild) chosen.delete('build');

  mkdirSync(RESULTS, { recursive: true });
  const started = Date.now();
  const ended = new Map<string, Promise<Outcome>>();
  const runSuite = async (suite: Suite): Promise<Outcome> => {
    await Promise.all((suite.after ?? []).map((name) => ended.get(name)));
    const build = ended.get('build');
    if (suite.needsBuild && build && !(await build).ok)
      return { name: suite.name, ok: false, seconds: 0, detail: 'not run: the production build failed' };
    const suiteStarted = Date.now();
    console.log(`test: ${suite.name}: ${suite.command.join(' ')}`);
    const isVitest = suite.command[1] === 'vitest';
    const report = join(RESULTS, `${suite.name}.json`);
    rmSync(report, { force: true });
    const command = isVitest
      ? [...suite.command, '--reporter=default', '--reporter=json', `--outputFile.json=${report}`]
      : suite.command;
    // The suites share the one build made above instead of each making their own.
    const env = { ...suite.defaults, ...process.env, ...(suite.needsBuild ? { SKIP_BUILD: '1' } : {}) };
    const { code, cpuSeconds } = await run(suite.name, command, env, join(RESULTS, `${suite.name}.log`));
    const { detail, failures } = isVitest ? readReport(report) : { detail: code === 0 ? 'done' : `exit ${code}` };
    const seconds = (Date.now() - suiteStarted) / 1000;
    console.log(`test: ${suite.name}: ${code === 0 ? 'passed' : 'FAILED'} in ${minutes(seconds)}`);
    return { name: suite.name, ok: code === 0, seconds, cpuSeconds, detail, failures };
  };
  for (const suite of SUITES.filter((each) => chosen.has(each.name))) ended.set(suite.name, runSuite(suite));
  const outcomes = await Promise.all(ended.values());

  const failed = outcomes.filter((outcome) => !outcome.ok);
  console.log('');
  for (const outcome of outcomes) {
    const status = outcome.ok ? 'passed' : 'FAILED';
    const cpu = outcome.cpuSeconds === undefined ? '' : ` (CPU ${minutes(outcome.cpuSeconds)})`;
    console.log(
      `test: ${outcome.name.padEnd(9)} ${status}  ${minutes(outcome.seconds).padStart(6)}${cpu}  ${outcome.detail}`,
    );
    for (const failure of outcome.failures ?? []) console.log(`test:   ✗ ${failure}`);
  }
  const cpu = outcomes.reduce((sum, outcome) => sum + (outcome.cpuSeconds ?? 0), 0);
  const total = `${minutes((Date.now() - started) / 1000)} (CPU ${minutes(cpu)})`;
  console.log(
    failed.length
      ? `test: ${failed.length} of ${outcomes.length} FAILED (${failed.map((outcome) => outcome.name).join(', ')}) in ${total}`
      : `test: all ${outcomes.length} passed in ${total}`,
  );
  return failed.length ? 1 : 0;
}

process.exitCode = await main();
