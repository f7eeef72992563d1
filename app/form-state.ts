// What a form's Server Action hands back to the form: the values to show again and the errors to show beside them.
import { toProblem } from '@/src/http/errors.ts';

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

/** A form field's text, or '' when it is missing or a file, so the schema reports it as empty. */
export function textField(formData: FormData, name: string): string {
  const value = formData.get(name);
  return typeof value === 'string' ? value : '';
}

/**
 * The form state for anything the API would answer with a problem: the same messages, placed where a person
 * looks for them. Field errors from the schema go beside their field (the first one each); a conflict may name
 * its field; everything else is about the form. Unexpected errors are logged by `toProblem` and shown only as
 * its generic message.
 */
export function failedFormState<Field extends string>(
  error: unknown,
  values: FormState<Field>['values'],
  fields: readonly Field[],
  conflictField?: Field,
): FormState<Field> {
  const problem = toProblem(error);
  const fieldErrors: FormState<Field>['fieldErrors'] = {};
  if (problem.status === 409 && conflictField) {
    fieldErrors[conflictField] = problem.message;
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
