// Turns zod failures into a 400 problem that lists every bad field, each with what is expected of it.
import * as z from 'zod/mini';
import { Problem } from './problem.ts';

export type InputPart = 'body' | 'query' | 'path';

type Issue = z.core.$ZodRawIssue;

/** How a person names a JSON type: "a string", "an integer", "true or false". */
const TYPE_NAMES: Record<string, string> = {
  string: 'a string',
  number: 'a number',
  int: 'an integer',
  boolean: 'true or false',
  object: 'an object',
  array: 'an array',
  null: 'null',
};

const FORMAT_NAMES: Record<string, string> = {
  email: 'an email address',
  url: 'a URL',
  uuid: 'a UUID',
  datetime: 'an ISO 8601 date and time, e.g. 2026-01-31T12:00:00Z',
  date: 'an ISO 8601 date, e.g. 2026-01-31',
};

const UNITS: Record<string, string> = { string: 'character', array: 'item', set: 'item', file: 'byte' };

const listed = (values: readonly unknown[]) => values.map((value) => String(value)).join(', ');

function sizeMessage(issue: Extract<Issue, { code: 'too_small' | 'too_big' }>): string {
  const small = issue.code === 'too_small';
  const bound = Number(small ? issue.minimum : issue.maximum);
  const unit = issue.origin in UNITS ? ` ${UNITS[issue.origin]}${bound === 1 ? '' : 's'}` : '';
  if (issue.origin === 'string' && small && bound === 1) return 'Must not be empty';
  if (issue.exact) return `Must be exactly ${bound}${unit}`;
  if (issue.inclusive === false) return `Must be ${small ? 'more' : 'less'} than ${bound}${unit}`;
  return `Must be at ${small ? 'least' : 'most'} ${bound}${unit}`;
}

/**
 * Messages for every issue a schema does not word itself (a schema's own message wins): what is expected, in
 * words a person understands. Zod's mini build ships no locale, so without this each would read "Invalid input".
 * A refinement (`code: 'custom'`) must carry its own message; a test sweeps the API's schemas for any that don't.
 */
export const customError: z.core.$ZodErrorMap = (issue) => {
  switch (issue.code) {
    case 'invalid_type':
      if (issue.input === undefined) return 'Required';
      return `Must be ${TYPE_NAMES[issue.expected] ?? issue.expected}`;
    case 'invalid_value':
      return issue.values.length === 1
        ? `Must be ${JSON.stringify(issue.values[0])}`
        : `Must be one of: ${listed(issue.values)}`;
    case 'too_small':
    case 'too_big':
      return sizeMessage(issue);
    case 'invalid_format':
      if (issue.format === 'regex') return `Must match the pattern ${issue.pattern}`;
      return `Must be ${FORMAT_NAMES[issue.format] ?? `a valid ${issue.format}`}`;
    case 'not_multiple_of':
      return `Must be a multiple of ${issue.divisor}`;
    case 'unrecognized_keys':
      return `Unknown field${issue.keys.length === 1 ? '' : 's'}: ${listed(issue.keys)}`;
    case 'invalid_union':
      return 'Does not match any of the accepted forms';
    case 'invalid_key':
      return 'Has a key that is not allowed';
    case 'invalid_element':
      return 'Has an element that is not allowed';
    default:
      return undefined;
  }
};

export function validate<Schema extends z.ZodMiniType>(
  schema: Schema,
  data: unknown,
  part: InputPart,
): z.output<Schema> {
  const result = z.safeParse(schema, data, { error: customError });
  if (result.success) return result.data;
  const errors = result.error.issues.flatMap((issue) => {
    // An unrecognized-keys issue names several fields at once; report each.
    const keys = issue.code === 'unrecognized_keys' ? issue.keys : [undefined];
    return keys.map((key) => ({
      field: [...issue.path, ...(key === undefined ? [] : [key])].map(String).join('.') || part,
      message: key === undefined ? issue.message : 'Unknown field',
    }));
  });
  throw new Problem('validation_failed', { detail: `The request ${part} is invalid.`, errors });
}
