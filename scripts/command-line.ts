// The project's commands read their arguments one way: `--help` prints the usage and exits 0; an unknown option,
// a missing value or a stray argument prints what was wrong and the usage to stderr and exits 2 (a usage error).
import { parseArgs, type ParseArgsConfig } from 'node:util';

type Options = NonNullable<ParseArgsConfig['options']>;

export const USAGE_ERROR_EXIT = 2;

/** Thrown by a command's own checks of its arguments; `readCommandLine` reports it as a usage error. */
export class UsageError extends Error {}

/**
 * Parses `args` (default: the process's arguments) against `options`, strictly. With `--help` or `-h` it prints
 * `usage` and exits 0; on a usage error it prints the error and `usage` and exits 2. `check` may throw a
 * `UsageError` for rules `parseArgs` cannot express (one of two options, a value's shape).
 */
export function readCommandLine<const O extends Options>(
  usage: string,
  options: O,
  {
    args = process.argv.slice(2),
    positionals = false,
    check,
  }: {
    args?: string[];
    positionals?: boolean;
    check?: (parsed: ReturnType<typeof parseArgs<{ options: O; allowPositionals: boolean; strict: true }>>) => void;
  } = {},
) {
  const all = { ...options, help: { type: 'boolean', short: 'h' } } as const;
  try {
    const parsed = parseArgs({ args, options: all, allowPositionals: positionals, strict: true });
    if ((parsed.values as { help?: boolean }).help) {
      process.stdout.write(usage.endsWith('\n') ? usage : `${usage}\n`);
      process.exit(0);
    }
    check?.(parsed as never);
    return parsed as ReturnType<typeof parseArgs<{ options: O; allowPositionals: boolean; strict: true }>>;
  } catch (error) {
    if (!(error instanceof UsageError) && !isParseArgsError(error)) throw error;
    const command = /^usage: npm (?:run )?(\S+)/.exec(usage)?.[1];
    const message = command ? `${command}: ${(error as Error).message}` : (error as Error).message;
    process.stderr.write(`${message}\n\n${usage.endsWith('\n') ? usage : `${usage}\n`}`);
    process.exit(USAGE_ERROR_EXIT);
  }
}

function isParseArgsError(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && code.startsWith('ERR_PARSE_ARGS_');
}
