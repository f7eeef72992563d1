// The proof run's figures: each test file adds what it sent and saw to a JSON file under test-results/,
// and the global teardown prints them as one table and fails the run on any bad figure.
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export const FIGURES_DIR = 'test-results/proof';

export interface Figures {
  /** Requests sent to the app. */
  requests: number;
  /** 5xx answers that no injected fault explains (any 500; a 503 with the database up). */
  unexpected5xx: number;
  /** 503s answered while a fault was injected, as designed. */
  expected503: number;
  /** Answers slower than the suite's bound, and requests that never got one. */
  slowOrHung: number;
  /** Bodies with a password hash, stack trace, file path or database error in them. */
  leaks: number;
  /** Error answers that are not problem+json, or whose `status` is not the HTTP status. */
  badErrors: number;
  racesRun: number;
  faultsInjected: number;
  /** Rows that got a 201 and were missing afterwards. */
  rowsLost: number;
  /** Rows that got a 201 before a `kill -9` of the endpoint (measured, not a failure by itself). */
  crashCommitted: number;
  crashSurvived: number;
}

const empty = (): Figures => ({
  requests: 0,
  unexpected5xx: 0,
  expected503: 0,
  slowOrHung: 0,
  leaks: 0,
  badErrors: 0,
  racesRun: 0,
  faultsInjected: 0,
  rowsLost: 0,
  crashCommitted: 0,
  crashSurvived: 0,
});

/** Figures a test file collects in memory and writes once (files run one at a time). */
export class FigureSheet {
  readonly figures = empty();
  readonly notes: string[] = [];

  constructor(readonly name: string) {}

  add(partial: Partial<Figures>): void {
    for (const [key, value] of Object.entries(partial) as [keyof Figures, number][]) this.figures[key] += value;
  }

  note(line: string): void {
    this.notes.push(line);
  }

  save(): void {
    mkdirSync(FIGURES_DIR, { recursive: true });
    const file = join(FIGURES_DIR, `${this.name}.json`);
    writeFileSync(file, JSON.stringify({ figures: this.figures, notes: this.notes }, null, 2));
  }
}

export function readFigures(): { name: string; figures: Figures; notes: string[] }[] {
  if (!existsSync(FIGURES_DIR)) return [];
  return readdirSync(FIGURES_DIR)
    .filter((file) => file.endsWith('.json'))
    .sort()
    .map((file) => {
      const saved = JSON.parse(readFileSync(join(FIGURES_DIR, file), 'utf8')) as {
        figures: Partial<Figures>;
        notes: string[];
      };
      return { name: file.slice(0, -'.json'.length), figures: { ...empty(), ...saved.figures }, notes: saved.notes };
    });
}

const COLUMNS: [keyof Figures, string][] = [
  ['requests', 'requests'],
  ['unexpected5xx', '5xx seen'],
  ['expected503', '503 (fault)'],
  ['slowOrHung', 'slow/hung'],
  ['leaks', 'leaks'],
  ['badErrors', 'bad errors'],
  ['racesRun', 'races'],
  ['faultsInjected', 'faults'],
  ['rowsLost', 'rows lost'],
  ['crashCommitted', 'crash: 201s'],
  ['crashSurvived', 'crash: kept'],
];

/**
 * Lines the server must never log: an uncaught exception, or an error that became a 500. A client that hangs
 * up mid-upload after its 413 may surface as `uncaughtException: Error: aborted` (ECONNRESET) from Node's
 * request stream; that one is counted apart, and the tests check the server still answers after it.
 */
const LOG_ALARMS: [RegExp, string][] = [
  [/uncaughtException(?![:\s[\]]*Error: aborted)/g, 'uncaught exceptions'],
  [/Unhandled error while serving a request/g, 'unhandled request errors'],
];
const LOG_NOTES: [RegExp, string][] = [
  [/uncaughtException[:\s[\]]*Error: aborted/g, 'aborted uploads (client hung up)'],
];

export function summarize(sheets: ReturnType<typeof readFigures>, serverLog: string, seed: number) {
  const total = empty();
  for (const { figures } of sheets) for (const [key] of COLUMNS) total[key] += figures[key];
  const rows = [...sheets.map(({ name, figures }) => [name, figures] as const), ['TOTAL', total] as const];
  const widths = [
    Math.max(5, ...rows.map(([name]) => name.length)),
    ...COLUMNS.map(([, label]) => Math.max(label.length, 7)),
  ];
  const line = (cells: string[]) =>
    cells.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!))).join(' | ');
  const log = existsSync(serverLog) ? readFileSync(serverLog, 'utf8') : '';
  const alarms = LOG_ALARMS.map(([pattern, label]) => [label, log.match(pattern)?.length ?? 0] as const);
  const notes = LOG_NOTES.map(([pattern, label]) => [label, log.match(pattern)?.length ?? 0] as const);
  const out = [
    '',
    `proof summary (PROOF_SEED=${seed})`,
    line(['file', ...COLUMNS.map(([, label]) => label)]),
    widths.map((width) => '-'.repeat(width)).join('-|-'),
    ...rows.map(([name, figures]) => line([name, ...COLUMNS.map(([key]) => String(figures[key]))])),
    `server log: ${[...alarms, ...notes].map(([label, count]) => `${count} ${label}`).join(', ')}`,
    ...sheets.flatMap(({ name, notes }) => notes.map((note) => `${name}: ${note}`)),
    '',
  ];
  const failures = [
    ...(['unexpected5xx', 'slowOrHung', 'leaks', 'badErrors', 'rowsLost'] as const)
      .filter((key) => total[key] > 0)
      .map((key) => `${key}=${total[key]}`),
    ...alarms.filter(([, count]) => count > 0).map(([label, count]) => `${count} ${label} in the server log`),
  ];
  if (sheets.length === 0) failures.push('no figures were recorded');
  return { table: out.join('\n'), failures };
}
