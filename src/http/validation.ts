// Turns zod failures into a 400 problem that lists every bad field.
import * as z from 'zod/mini';
import { Problem } from './problem.ts';

export type InputPart = 'body' | 'query' | 'path';

export function validate<Schema extends z.ZodMiniType>(
  schema: Schema,
  data: unknown,
  part: InputPart,
): z.output<Schema> {
  const result = z.safeParse(schema, data);
  if (result.success) return result.data;
  const errors = result.error.issues.flatMap((issue) => {
    // An unrecognized-keys issue names several fields at once; report each.
    const keys = issue.code === 'unrecognized_keys' ? issue.keys : [undefined];
    return keys.map((key) => ({
      field: [...issue.path, ...(key === undefined ? [] : [key])].map(String).join('.') || part,
      message: key === undefined ? issue.message : 'Unknown field',
    }));
  });
  throw new Problem(400, { detail: `The request ${part} is invalid.`, errors });
}
