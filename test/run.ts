// `npm test`: every suite, each run even when one before it failed, with a summary line per suite at the end and a
// non-zero exit if any failed. The production build is made once and shared by the suites that run it.
import { spawn } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { readCommandLine, UsageError } from '../scripts/command-line.ts';

const USAGE = `usage: npm test [-- --suite <name> ...]

Runs the test suites in order and prints one summary line per suite; exits 1 if any failed.
  unit    edge code in the edge runtime and in Node.js, the tools in scripts/, the AWS stack (npm run test:unit)
  build   the production build (npm run build), made once for the next two
  http    the production build over HTTP and in a browser, and the platforms' builds   (npm run test:http)
  proof   the production build under hostile input, races and faults; PROOF_RUNS sets its depth (npm run test:proof)

  --suite <name>   run only this suite (repeatable); http and proof build first unless SKIP_BUILD=1
  --help           this text`;

interface Suite {
  name: string;
  command: string[];
  /** Suites that run the production build; they wait for one `build` step and are skipped if it failed. */
  needsBuild?: boolean;
}

const vitest = (...projects: string[]) => ['npx', 'vitest', 'run', ...projects.flatMap((name) => ['--project', name])];

const SUITES: Suite[] = [
  { name: 'unit', command: vitest('edge', 'node', 'aws') },
  { name: 'build', command: ['npm', 'run', 'build'] },
  { name: 'http', command: vitest('integration'), needsBuild: true },
  { name: 'proof', command: vitest('proof'), needsBuild: true },
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

/** CPU seconds used so far by this process's finished children (Linux: /proc/self/stat cutime + cstime). */
function childrenCpuSeconds(): number | undefined {
  try {
    const fields = readFileSync('/proc/self/stat', 'utf8').split(') ')[1]!.split(' ');
    // After the command name: state is field 3, cutime and cstime fields 16 and 17, in clock ticks of 1/100 s.
    return (Number(fields[13]) + Number(fields[14])) / 100;
  } catch {
    return undefined;
  }
}

const RESULTS = resolve('test-results');

function run(command: string[], env: NodeJS.ProcessEnv): Promise<number> {
  return new Promise((done) => {
    const child = spawn(command[0]!, command.slice(1), { stdio: 'inherit', env });
    child.on('error', () => done(127));
    child.on('exit', (code, signal) => done(code ?? (signal ? 128 : 1)));
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
  const outcomes: Outcome[] = [];
  let built = skipBuild;
  for (const suite of SUITES.filter((each) => chosen.has(each.name))) {
    const suiteStarted = Date.now();
    const cpuBefore = childrenCpuSeconds();
    if (suite.needsBuild && !built) {
      outcomes.push({ name: suite.name, ok: false, seconds: 0, detail: 'not run: the production build failed' });
      continue;
    }
    console.log(`\ntest: ${suite.name}: ${suite.command.join(' ')}`);
    const isVitest = suite.command[1] === 'vitest';
    const report = join(RESULTS, `${suite.name}.json`);
    rmSync(report, { force: true });
    const command = isVitest
      ? [...suite.command, '--reporter=default', '--reporter=json', `--outputFile.json=${report}`]
      : suite.command;
    // The suites share the one build made above instead of each making their own.
    const code = await run(command, { ...process.env, ...(suite.needsBuild ? { SKIP_BUILD: '1' } : {}) });
    if (suite.name === 'build') built = code === 0;
    const cpuAfter = childrenCpuSeconds();
    const { detail, failures } = isVitest ? readReport(report) : { detail: code === 0 ? 'done' : `exit ${code}` };
    outcomes.push({
      name: suite.name,
      ok: code === 0,
      seconds: (Date.now() - suiteStarted) / 1000,
      cpuSeconds: cpuBefore === undefined || cpuAfter === undefined ? undefined : cpuAfter - cpuBefore,
      detail,
      failures,
    });
  }

  const failed = outcomes.filter((outcome) => !outcome.ok);
  console.log('');
  for (const outcome of outcomes) {
    const status = outcome.ok ? 'passed' : 'FAILED';
    const cpu = outcome.cpuSeconds === undefined ? '' : ` (CPU ${minutes(outcome.cpuSeconds)})`;
    console.log(
      `test: ${outcome.name.padEnd(5)} ${status}  ${minutes(outcome.seconds).padStart(6)}${cpu}  ${outcome.detail}`,
    );
    for (const failure of outcome.failures ?? []) console.log(`test:   ✗ ${failure}`);
  }
  const total = minutes((Date.now() - started) / 1000);
  console.log(
    failed.length
      ? `test: ${failed.length} of ${outcomes.length} FAILED (${failed.map((outcome) => outcome.name).join(', ')}) in ${total}`
      : `test: all ${outcomes.length} passed in ${total}`,
  );
  return failed.length ? 1 : 0;
}

process.exitCode = await main();
