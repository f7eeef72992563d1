// Declared access enforced from the verified identity alone: who may call an admin or owner-or-admin method.
import { describe, expect, it } from 'vitest';
import { assertAdmin, authorize } from '@/src/auth/guards.ts';
import type { Identity } from '@/src/auth/tokens.ts';
import { readId } from '@/src/http/id.ts';
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

  it('refuses a user with 403 not_allowed', async () => {
    const problem = await expectProblem(
      refusal(() => assertAdmin(user)),
      403,
    );
    expect(problem).toEqual({
      type: '/docs#problem-not_allowed',
      title: 'Forbidden',
      status: 403,
      code: 'not_allowed',
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

describe("authorize('admin')", () => {
  it('lets an admin through and refuses a user with 403', async () => {
    expect(() => authorize('admin', admin, {})).not.toThrow();
    expect(
      (
        await expectProblem(
          refusal(() => authorize('admin', user, {})),
          403,
        )
      ).code,
    ).toBe('not_allowed');
  });
});

describe("authorize('signed-in')", () => {
  it('lets anyone signed in through, whatever the id', () => {
    expect(() => authorize('signed-in', user, { id: '3' })).not.toThrow();
  });
});

describe("authorize('owner-or-admin')", () => {
  it('lets a user change their own record', () => {
    expect(() => authorize('owner-or-admin', user, { id: String(user.id) })).not.toThrow();
  });

  it("refuses a user changing another user's record with 403", async () => {
    const problem = await expectProblem(
      refusal(() => authorize('owner-or-admin', user, { id: '3' })),
      403,
    );
    expect(problem.detail).toBe("Only an admin may change another user's record.");
  });

  it("refuses a user changing an admin's record with 403", async () => {
    await expectProblem(
      refusal(() => authorize('owner-or-admin', user, { id: String(admin.id) })),
      403,
    );
  });

  it('answers an id that is not one with 400 before judging ownership', async () => {
    const problem = await expectProblem(
      refusal(() => authorize('owner-or-admin', user, { id: '02' })),
      400,
    );
    expect(problem.code).toBe('validation_failed');
  });

  it.each(['02', 'abc', '0', '-1', '1.5', ' 1', '2147483648', '99999999999'])(
    'answers the id %j with the 400 the route gives an admin, word for word',
    async (id) => {
      const fromGuard = await expectProblem(
        refusal(() => authorize('owner-or-admin', user, { id })),
        400,
      );
      const fromRoute = await expectProblem(
        refusal(() => readId(id)),
        400,
      );
      expect(fromGuard).toEqual(fromRoute);
      expect(fromGuard.errors).toEqual([{ field: 'id', message: expect.stringMatching(/^Must be /) }]);
    },
  );

  it('lets an admin change any record, their own included', () => {
    expect(() => authorize('owner-or-admin', admin, { id: String(user.id) })).not.toThrow();
    expect(() => authorize('owner-or-admin', admin, { id: '2147483647' })).not.toThrow();
    expect(() => authorize('owner-or-admin', admin, { id: String(admin.id) })).not.toThrow();
  });
});
