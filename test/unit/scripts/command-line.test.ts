// Every command the project offers answers `--help` the same way (usage on stdout, exit 0) and refuses an unknown
// option as a usage error (what was wrong and the usage on stderr, exit 2), without starting anything.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { runToEnd } from '@/test/support/processes.ts';

const COMMANDS = [
  'db',
  'db:migrate',
  'db:check',
  'db:postgres',
  'db:prune',
  'db:reset',
  'db:seed',
  'migrate',
  'token',
  'sizes',
  'build:vercel',
  'build:aws',
  'bench',
  'bench:cold-start',
  'bench:cold-start-profile',
  'test',
];

const scripts = (JSON.parse(readFileSync('package.json', 'utf8')) as { scripts: Record<string, string> }).scripts;

// Settings a developer may have exported must not change what --help does; nothing may start.
const npmRun = (name: string, args: string[]) =>
  runToEnd('npm', ['run', '-s', name, '--', ...args], {
    env: { PATH: process.env.PATH, HOME: process.env.HOME, DATABASE_URL: 'postgresql://unused@127.0.0.1:9/none' },
  });

// Each case starts npm and tsx: seconds on a quiet machine, many more on a loaded one.
describe('the commands in package.json', { timeout: 120_000 }, () => {
  it('are all covered here', () => {
    for (const name of COMMANDS) expect(scripts[name], name).toBeDefined();
  });

  it.each(COMMANDS)('npm run %s -- --help prints its usage and exits 0', async (name) => {
    const { code, stdout, stderr } = await npmRun(name, ['--help']);
    expect(stderr).toBe('');
    expect(stdout).toMatch(new RegExp(`^usage: npm (run )?${name.replace(':', '\\:')}\\b`));
    expect(code).toBe(0);
  });

  it.each(COMMANDS)('npm run %s -- --no-such-option is a usage error (exit 2)', async (name) => {
    const { code, stdout, stderr } = await npmRun(name, ['--no-such-option']);
    expect(stdout).toBe('');
    expect(stderr).toMatch(new RegExp(`^${name.replace(':', '\\:')}: Unknown option '--no-such-option'`));
    expect(stderr).toMatch(/\nusage: npm /);
    expect(stderr).not.toMatch(/\n\s+at /);
    expect(code).toBe(2);
  });
});
