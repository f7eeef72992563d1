// Role guards: who may do what to users, decided from the verified identity alone.
import { describe, expect, it } from 'vitest';
import { assertAdmin, assertMayChangeUser } from '@/src/auth/guards.ts';
import type { Identity } from '@/src/auth/tokens.ts';
import { Problem, problemResponse } from '@/src/http/problem.ts';
import { expectProblem } from '@/test/support/problems.ts';

const admin: Identity = { id: 1, role: 'admin' };
const user: Identity = { id: 2, role: 'user' };

/** Runs a guard; its refusal rendered as the client would receive it. */
function refusal(guard: () => void): Response {
  try {
    guard();
  } catch (error) {
    expect(error).toBeInstanceOf(Problem);
    return problemResponse(error as Problem);
  }
  throw new Error('the guard let the caller through');
}

describe('assertAdmin', () => {
  it('lets an admin through', () => {
    expect(() => assertAdmin(admin)).not.toThrow();
  });

  it('refuses a user with 403', async () => {
    const problem = await expectProblem(
      refusal(() => assertAdmin(user)),
      403,
    );
    expect(problem).toEqual({
      type: 'about:blank',
      title: 'Forbidden',
      status: 403,
      detail: 'Only an admin may do this.',
    });
  });

  it('says what was refused when told', async () => {
    const problem = await expectProblem(
      refusal(() => assertAdmin(user, 'Only an admin may list users.')),
      403,
    );
    expect(problem.detail).toBe('Only an admin may list users.');
  });
});

describe('assertMayChangeUser', () => {
  it('lets a user change their own record', () => {
    expect(() => assertMayChangeUser(user, user.id)).not.toThrow();
  });

  it("refuses a user changing another user's record with 403", async () => {
    const problem = await expectProblem(
      refusal(() => assertMayChangeUser(user, 3)),
      403,
    );
    expect(problem.detail).toBe("Only an admin may change another user's record.");
  });

  it("refuses a user changing an admin's record with 403", async () => {
    await expectProblem(
      refusal(() => assertMayChangeUser(user, admin.id)),
      403,
    );
  });

  it('lets an admin change any record, their own included', () => {
    expect(() => assertMayChangeUser(admin, user.id)).not.toThrow();
    expect(() => assertMayChangeUser(admin, 2_147_483_647)).not.toThrow();
    expect(() => assertMayChangeUser(admin, admin.id)).not.toThrow();
  });
});
