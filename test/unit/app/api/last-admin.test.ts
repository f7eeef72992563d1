// The last admin through the route handlers: the rule is about the whole users table, so these tests run on a
// database of their own (solo-database.ts), where no other file's admins come and go.
import { describe, expect, it } from 'vitest';
import '@/test/support/in-process/solo-database.ts';
import { signedInUser } from '@/test/support/in-process/identities.ts';
import { expectProblem } from '@/test/support/problems.ts';
import { deleteUser as remove, getUser, patchUser as patch } from '@/test/support/in-process/user-by-id.ts';
import { db } from '@/src/db/client.ts';

/** Makes every other admin a user, so that `id` is the only one. */
const onlyAdmins = (...ids: number[]) =>
  db().$executeRaw`UPDATE users SET role = 'user' WHERE role = 'admin' AND NOT (id = ANY(${ids}))`;

describe('the last admin', () => {
  it('cannot be demoted or deleted (409), by another admin or themselves', async () => {
    const admin = await signedInUser('admin');
    const other = await signedInUser('admin');
    await onlyAdmins(admin.id);
    // `other` is no admin any more; its admin token is refused by the database.
    await expectProblem(await patch(other.token, admin.id, { role: 'user' }), 403);
    const self = await expectProblem(await remove(admin.token, admin.id), 409);
    expect(self.detail).toMatch(/last admin/);
    const promoted = await signedInUser('admin');
    await db().$executeRaw`UPDATE users SET role = 'user' WHERE id = ${promoted.id}`;
    expect((await getUser(admin.token, admin.id)).status).toBe(200);
  });

  it('survives two admins demoting each other at once: exactly one succeeds', async () => {
    const [a, b] = [await signedInUser('admin'), await signedInUser('admin')];
    await onlyAdmins(a.id, b.id);
    const answers = await Promise.all([patch(a.token, b.id, { role: 'user' }), patch(b.token, a.id, { role: 'user' })]);
    // The loser is no admin any more (403), or, once the winner's demotion has signed it out, not signed in (401).
    const statuses = answers.map((answer) => answer.status).sort();
    expect(statuses[0]).toBe(200);
    expect([401, 403]).toContain(statuses[1]);
    const admins = await db().user.count({ where: { role: 'admin' } });
    expect(admins).toBe(1);
  });

  it('survives two admins deleting themselves at once: exactly one succeeds', async () => {
    const [a, b] = [await signedInUser('admin'), await signedInUser('admin')];
    await onlyAdmins(a.id, b.id);
    const answers = await Promise.all([remove(a.token, a.id), remove(b.token, b.id)]);
    expect(answers.map((answer) => answer.status).sort()).toEqual([204, 409]);
    expect(await db().user.count({ where: { role: 'admin' } })).toBe(1);
  });
});
