// Concurrent writes against the production build: a unique email admits one winner, a thousand parallel
// creates leave a thousand readable rows, and parallel changes to one record end in a consistent state.
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { FigureSheet } from '@/test/support/proof/figures.ts';
import { bearer, inParallel, jsonType, type RawRequest, type RawResponse } from '@/test/support/proof/raw-http.ts';
import { sendChecked } from '@/test/support/proof/invariants.ts';
import { sharedAdminToken } from '@/test/support/proof/tokens.ts';

const runs = inject('proofRuns');
const seed = inject('proofSeed');
/** Deeper runs (PROOF_RUNS above the default) repeat the races. */
const depth = Math.max(1, Math.floor(runs / 10_000));
const TIME_BOUND_MS = 10_000;

const sheet = new FigureSheet('races');
let admin: [string, string];

beforeAll(async () => {
  admin = bearer(await sharedAdminToken());
});

afterAll(() => sheet.save());

interface User {
  id: number;
  name: string;
  email: string;
}

let counter = 0;
const email = (label: string) => `race-${label}-${seed}-${++counter}-${crypto.randomUUID().slice(0, 8)}@example.com`;

const call = (method: string, path: string, json?: unknown): Promise<RawResponse> => {
  const request: RawRequest = {
    method,
    path,
    headers: json === undefined ? [admin] : [admin, jsonType],
    body: json === undefined ? undefined : JSON.stringify(json),
    timeoutMs: TIME_BOUND_MS * 2,
  };
  return sendChecked(sheet, request, { timeBoundMs: TIME_BOUND_MS });
};

const create = async (name: string, address: string): Promise<User> => {
  const response = await call('POST', '/api/users', { name, email: address });
  expect(response.status, response.body).toBe(201);
  return JSON.parse(response.body) as User;
};

const statusCounts = (responses: RawResponse[]) =>
  responses.reduce<Record<number, number>>(
    (counts, { status }) => ({ ...counts, [status]: (counts[status] ?? 0) + 1 }),
    {},
  );

describe('races on one email', () => {
  it(
    'admits exactly one of 50 parallel creates with the same email (201), the rest 409',
    async () => {
      for (let round = 0; round < depth; round++) {
        const address = email('same');
        const responses = await Promise.all(
          Array.from({ length: 50 }, (_, i) => call('POST', '/api/users', { name: `Racer ${i}`, email: address })),
        );
        sheet.add({ racesRun: 1 });
        expect(statusCounts(responses)).toEqual({ 201: 1, 409: 49 });
        const winner = JSON.parse(responses.find(({ status }) => status === 201)!.body) as User;
        const read = await call('GET', `/api/users/${winner.id}`);
        expect(read.status).toBe(200);
        expect(JSON.parse(read.body)).toMatchObject({ id: winner.id, email: address });
      }
    },
    120_000 * depth,
  );

  it(
    'admits exactly one of two parallel PATCHes that move two records to the same email',
    async () => {
      for (let round = 0; round < 5 * depth; round++) {
        const [first, second] = [await create('Left', email('left')), await create('Right', email('right'))];
        const target = email('target');
        const responses = await Promise.all(
          [first, second].map(({ id }) => call('PATCH', `/api/users/${id}`, { email: target })),
        );
        sheet.add({ racesRun: 1 });
        expect(statusCounts(responses)).toEqual({ 200: 1, 409: 1 });
      }
    },
    120_000 * depth,
  );
});

describe('a thousand parallel creates', () => {
  it(
    'leaves exactly one new row per 201, each readable by id and through the pages',
    async () => {
      const count = 1_000 * depth;
      const emails = Array.from({ length: count }, () => email('bulk'));
      const responses = await inParallel(emails, 50, (address, i) =>
        call('POST', '/api/users', { name: `Bulk ${i}`, email: address }),
      );
      sheet.add({ racesRun: 1 });
      expect(statusCounts(responses)).toEqual({ 201: count });
      const created = responses.map(({ body }) => JSON.parse(body) as User);
      const ids = new Set(created.map(({ id }) => id));
      expect(ids.size).toBe(count);

      // Every page from just before the first new id, following Link headers.
      const seen = new Map<number, string>();
      let next: string | undefined = `/api/users?limit=100&cursor=${Math.min(...ids) - 1}`;
      let pages = 0;
      while (next && pages++ < count) {
        const page = await call('GET', next);
        expect(page.status).toBe(200);
        for (const user of JSON.parse(page.body) as User[]) seen.set(user.id, user.email);
        const link = /<([^>]+)>;\s*rel="next"/.exec(String(page.headers.link ?? ''))?.[1];
        next = link ? new URL(link).pathname + new URL(link).search : undefined;
      }
      const missingFromPages = created.filter(({ id, email: address }) => seen.get(id) !== address);

      const reads = await inParallel(created, 50, ({ id }) => call('GET', `/api/users/${id}`));
      const unreadable = created.filter(
        (user, i) => reads[i]!.status !== 200 || (JSON.parse(reads[i]!.body) as User).email !== user.email,
      );
      sheet.add({ rowsLost: Math.max(missingFromPages.length, unreadable.length) });
      expect(missingFromPages.map(({ id }) => id)).toEqual([]);
      expect(unreadable.map(({ id }) => id)).toEqual([]);
      sheet.note(`${count} parallel creates: ${ids.size} rows, ${pages} pages read back`);
    },
    120_000 * depth,
  );
});

describe('parallel changes to one record', () => {
  it(
    'ends consistently: every PATCH 200 or 404, one DELETE 204, and the record gone iff a DELETE got 204',
    async () => {
      for (let round = 0; round < 10 * depth; round++) {
        const user = await create('Contended', email('contended'));
        const deletes = round % 5 === 4 ? 0 : 1 + (round % 3);
        const actions = [
          ...Array.from({ length: 12 }, (_, i) => ({ kind: 'patch' as const, i })),
          ...Array.from({ length: deletes }, (_, i) => ({ kind: 'delete' as const, i })),
        ].sort(() => Math.random() - 0.5);
        const responses = await Promise.all(
          actions.map(({ kind, i }) =>
            kind === 'patch'
              ? call('PATCH', `/api/users/${user.id}`, { name: `Patched ${i}` })
              : call('DELETE', `/api/users/${user.id}`),
          ),
        );
        sheet.add({ racesRun: 1 });
        const patches = responses.filter((_, i) => actions[i]!.kind === 'patch');
        const deleted = responses.filter((_, i) => actions[i]!.kind === 'delete');
        for (const { status } of patches) expect([200, 404]).toContain(status);
        expect(deleted.filter(({ status }) => status === 204).length).toBe(deletes ? 1 : 0);
        for (const { status } of deleted) expect([204, 404]).toContain(status);

        const final = await call('GET', `/api/users/${user.id}`);
        if (deletes) {
          expect(final.status).toBe(404);
        } else {
          expect(final.status).toBe(200);
          // The last write wins, and it is one of the writes that got a 200.
          const names = patches.map(({ body }) => (JSON.parse(body) as User).name);
          expect(names).toContain((JSON.parse(final.body) as User).name);
        }
      }
    },
    120_000 * depth,
  );
});
