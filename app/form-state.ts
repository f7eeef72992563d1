// What a form's Server Action hands back to the form: the values to show again and the errors to show beside them.
import { loggedProblem } from '@/src/http/errors.ts';
import type { ProblemCode } from '@/src/http/problem.ts';

export interface FormState<Field extends string> {
  /** Re-filled into the form after a failed submission; never holds a password. */
  values: Partial<Record<Field, string>>;
  fieldErrors: Partial<Record<Field, string>>;
  /** About the whole submission: shown at the top of the form with role="alert". */
  formError?: string;
  /** Success, announced politely. */
  message?: string;
}

export function emptyFormState<Field extends string>(): FormState<Field> {
  return { values: {}, fieldErrors: {} };
}

/**
 * A form field as the schema should judge it, so a form gets the API's messages for the same mistakes: a field
 * left blank or missing is undefined ("Required"), and a file where text belongs stays a file ("Must be a string").
 */
export function textField(formData: FormData, name: string): FormDataEntryValue | undefined {
  const value = formData.get(name);
  return value === null || value === '' ? undefined : value;
}

/** The submitted text to put back into the form: strings only, never a file. */
function textValues<Field extends string>(input: Partial<Record<Field, unknown>>): FormState<Field>['values'] {
  return Object.fromEntries(
    Object.entries(input).filter((entry): entry is [Field, string] => typeof entry[1] === 'string'),
  ) as FormState<Field>['values'];
}

/**
 * The form state for anything the API would answer with a problem: the same messages, placed where a person
 * looks for them. Field errors from the schema go beside their field (the first one each); a problem `besides`
 * names (a taken email, a wrong current password) goes beside that field; everything else is about the form. Unexpected errors are logged once, here, and shown only as
 * their generic message.
 */
export function failedFormState<Field extends string>(
  error: unknown,
  input: Partial<Record<Field, unknown>>,
  fields: readonly Field[],
  besides: Partial<Record<ProblemCode, Field>> = {},
): FormState<Field> {
  const problem = loggedProblem(error, 'Server Action');
  const values = textValues(input);
  const fieldErrors: FormState<Field>['fieldErrors'] = {};
  const field = besides[problem.code];
  if (field) {
    fieldErrors[field] = problem.message;
    return { values, fieldErrors };
  }
  const isField = (name: string): name is Field => (fields as readonly string[]).includes(name);
  const unplaced: string[] = [];
  for (const { field, message } of problem.errors ?? []) {
    if (isField(field)) fieldErrors[field] ??= message;
    else unplaced.push(`${field}: ${message}`);
  }
  if (problem.errors?.length && unplaced.length === 0) return { values, fieldErrors };
  return { values, fieldErrors, formError: [problem.message, ...unplaced].join(' ') };
}
