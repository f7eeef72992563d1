// A Server Action form gets the API's messages for the same mistakes, from the same schema.
import { describe, expect, it, vi } from 'vitest';
import { failedFormState, textField } from '@/app/form-state.ts';
import { Problem } from '@/src/http/problem.ts';
import { validate } from '@/src/http/validation.ts';
import { createUserSchema } from '@/src/users/schema.ts';

const FIELDS = ['name', 'email', 'role'] as const;

/** What the add-user action does with a submitted form, up to the state it hands back. */
function submit(formData: FormData) {
  const input = Object.fromEntries(FIELDS.map((field) => [field, textField(formData, field)]));
  try {
    validate(createUserSchema, input, 'body');
  } catch (error) {
    return failedFormState(error, input, FIELDS, { email_taken: 'email' });
  }
  throw new Error('the form was valid');
}

describe('a form submitted to a Server Action', () => {
  it('says "Required" for a blank or missing field, "Must be a string" for a file, and lists the roles', () => {
    const formData = new FormData();
    formData.set('name', '');
    formData.set('email', new File(['ada@example.com'], 'email.txt'));
    formData.set('role', 'superuser');
    expect(submit(formData)).toEqual({
      values: { role: 'superuser' },
      fieldErrors: { name: 'Required', email: 'Must be a string', role: 'Must be one of: user, admin' },
    });
    expect(submit(new FormData()).fieldErrors).toEqual({ name: 'Required', email: 'Required' });
  });

  it('gives back what was typed, so the person can correct it', () => {
    const formData = new FormData();
    formData.set('name', '  ');
    formData.set('email', 'not-an-email');
    expect(submit(formData)).toEqual({
      values: { name: '  ', email: 'not-an-email' },
      fieldErrors: { name: 'Must not be empty', email: 'Must be an email address' },
    });
  });

  it('puts a problem the form names beside its field (a taken email, a wrong current password), else on the form', () => {
    const taken = new Problem('email_taken', { detail: 'A user with this email already exists.' });
    expect(failedFormState(taken, { name: 'Ada', email: 'ada@example.com' }, FIELDS, { email_taken: 'email' })).toEqual(
      {
        values: { name: 'Ada', email: 'ada@example.com' },
        fieldErrors: { email: 'A user with this email already exists.' },
      },
    );
    const wrong = new Problem('wrong_password', { detail: 'The current password is wrong.' });
    expect(failedFormState(wrong, {}, ['currentPassword'], { wrong_password: 'currentPassword' })).toEqual({
      values: {},
      fieldErrors: { currentPassword: 'The current password is wrong.' },
    });
    expect(failedFormState(wrong, {}, ['currentPassword'])).toEqual({
      values: {},
      fieldErrors: {},
      formError: 'The current password is wrong.',
    });
  });

  it('shows an unexpected failure only as the generic message, and logs it once with its cause', () => {
    const log = vi.spyOn(console, 'error').mockImplementation(() => {});
    try {
      const bug = new Error('relation "users" does not exist');
      const state = failedFormState(bug, { name: 'Ada' }, FIELDS, { email_taken: 'email' });
      expect(state).toEqual({ values: { name: 'Ada' }, fieldErrors: {}, formError: 'An unexpected error occurred.' });
      expect(log).toHaveBeenCalledTimes(1);
      expect(String(log.mock.calls[0]![0])).toMatch(/Server Action: 500 internal_error[\s\S]*relation "users"/);
    } finally {
      log.mockRestore();
    }
  });
});
