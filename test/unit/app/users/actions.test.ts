// The /users page's Server Actions: editing a user in place follows PATCH /api/users/:id's rules, worded for the form.
import { beforeEach, describe, expect, it, vi } from 'vitest';
import '@/test/support/in-process/database.ts';
import { db } from '@/src/db/client.ts';
import { signedInUser, type SignedInUser } from '@/test/support/in-process/identities.ts';
import { uniqueEmail } from '@/test/support/requests.ts';

/** The request headers the action reads through next/headers: the caller's token. */
let incoming = new Headers();
vi.mock('next/headers', () => ({ headers: async () => incoming }));
vi.mock('next/cache', () => ({ revalidatePath: () => {} }));
vi.mock('next/navigation', () => ({
  redirect: (to: string) => {
    throw new Error(`redirected to ${to}`);
  },
}));

const { updateUserAction } = await import('@/app/users/actions.ts');

const signIn = (user: SignedInUser) => {
  incoming = new Headers({ authorization: `Bearer ${user.token}` });
};

function form(fields: Record<string, string | number>): FormData {
  const data = new FormData();
  for (const [name, value] of Object.entries(fields)) data.set(name, String(value));
  return data;
}

const edit = (fields: Record<string, string | number>) =>
  updateUserAction({ values: {}, fieldErrors: {} }, form(fields));

const row = (id: number) => db().user.findUniqueOrThrow({ where: { id } });

describe('updateUserAction (editing a row of /users)', () => {
  let admin: SignedInUser;
  let other: SignedInUser;

  beforeEach(async () => {
    admin = await signedInUser('admin');
    other = await signedInUser('user');
    signIn(admin);
  });

  it("lets an admin change another user's name, email and role in place, signing them out as PATCH does", async () => {
    const email = uniqueEmail('renamed');
    const state = await edit({ id: other.id, name: 'Grace Hopper', email: email.toUpperCase(), role: 'admin' });
    expect(state).toEqual({ values: {}, fieldErrors: {}, message: 'Saved.' });
    expect(await row(other.id)).toMatchObject({ name: 'Grace Hopper', email, role: 'admin' });
    const live = await db().session.count({ where: { userId: other.id, revokedAt: null } });
    expect(live).toBe(0);
  });

  it('puts a taken email beside the email field, keeping what was typed', async () => {
    const taken = await signedInUser('user');
    const { email } = await row(taken.id);
    const state = await edit({ id: other.id, name: 'Someone', email });
    expect(state.fieldErrors).toEqual({ email: 'A user with this email already exists.' });
    expect(state.values).toMatchObject({ name: 'Someone', email });
    expect(state.formError).toBeUndefined();
    expect((await row(other.id)).name).not.toBe('Someone');
  });

  it("keeps the last admin: an admin's own role cannot be changed, even by a forged form", async () => {
    const state = await edit({ id: admin.id, name: 'Still Admin', email: uniqueEmail(), role: 'user' });
    expect(state.formError).toBe('Nobody may change their own role.');
    expect(await row(admin.id)).toMatchObject({ role: 'admin', name: 'Test admin' });
  });

  it('refuses a demoted admin whose token still says admin, from the database', async () => {
    await db().user.update({ where: { id: admin.id }, data: { role: 'user' } });
    const state = await edit({ id: other.id, name: 'Changed', role: 'admin' });
    expect(state.formError).toBe('Only an admin may change a role.');
    expect(await row(other.id)).toMatchObject({ role: 'user', name: 'Test user' });
  });

  it('lets anyone change their own name and email, but not their role', async () => {
    signIn(other);
    const email = uniqueEmail('self');
    expect(await edit({ id: other.id, name: 'Ada Lovelace', email })).toMatchObject({ message: 'Saved.' });
    expect(await row(other.id)).toMatchObject({ name: 'Ada Lovelace', email });
    expect((await edit({ id: other.id, name: 'Ada', role: 'admin' })).formError).toBe(
      'Only an admin may change a role.',
    );
    expect((await row(other.id)).role).toBe('user');
  });

  it("refuses a user changing someone else's record", async () => {
    signIn(other);
    const state = await edit({ id: admin.id, name: 'Mallory' });
    expect(state.formError).toBe("Only an admin may change another user's record.");
    expect((await row(admin.id)).name).toBe('Test admin');
  });

  it('shows the API’s messages beside each invalid field', async () => {
    const state = await edit({ id: other.id, name: 'x'.repeat(101), email: 'not-an-email', role: 'root' });
    expect(state.fieldErrors).toEqual({
      name: 'Must be at most 100 characters',
      email: 'Must be an email address',
      role: 'Must be one of: user, admin',
    });
  });

  it('says which user is unknown, and refuses an id that is not one', async () => {
    expect((await edit({ id: 2147483647, name: 'Nobody' })).formError).toBe('No such user.');
    expect((await edit({ id: 'abc', name: 'Nobody' })).formError).toMatch(/invalid/i);
  });
});
