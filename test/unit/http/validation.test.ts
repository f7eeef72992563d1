// Validation messages: each names its field and says what is expected, for every schema the API validates with.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import * as z from 'zod/mini';
import { readId } from '@/src/http/id.ts';
import { pageQuerySchema, readQuery } from '@/src/http/pagination.ts';
import { Problem, type FieldError } from '@/src/http/problem.ts';
import { validate, type InputPart } from '@/src/http/validation.ts';
import { REQUEST_BODY_SCHEMAS } from '@/src/openapi/components.ts';
import { openApiDocument } from '@/src/openapi/document.ts';
import { METHODS, type JsonSchema } from '@/src/openapi/types.ts';
import { createUserSchema } from '@/src/users/schema.ts';

/** The field errors `validate` reports for this input, or [] when it is valid. */
function errorsFor(schema: z.ZodMiniType, data: unknown, part: InputPart = 'body'): FieldError[] {
  try {
    validate(schema, data, part);
    return [];
  } catch (error) {
    if (!(error instanceof Problem)) throw error;
    expect(error.status).toBe(400);
    return error.errors ?? [];
  }
}

function problemErrors(read: () => unknown): FieldError[] {
  try {
    read();
    return [];
  } catch (error) {
    if (!(error instanceof Problem)) throw error;
    return error.errors ?? [];
  }
}

const messageOf = (schema: z.ZodMiniType, data: unknown) => errorsFor(schema, data)[0]?.message;

/** Zod's own fallback, which says nothing about what is expected. */
const isVague = ({ message }: FieldError) => message.trim() === '' || /^invalid input\b/i.test(message);

describe('validate', () => {
  it('says "Required" for a missing field, naming it', () => {
    expect(errorsFor(createUserSchema, { email: 'ada@example.com' })).toEqual([{ field: 'name', message: 'Required' }]);
  });

  it('names the expected type for a wrong one', () => {
    expect(errorsFor(createUserSchema, { name: 42, email: 'ada@example.com' })).toEqual([
      { field: 'name', message: 'Must be a string' },
    ]);
    expect(messageOf(z.object({ on: z.boolean() }), { on: 'yes' })).toBe('Must be true or false');
    expect(messageOf(z.object({ n: z.int() }), { n: 1.5 })).toBe('Must be an integer');
    expect(messageOf(z.object({ tags: z.array(z.string()) }), { tags: 'a' })).toBe('Must be an array');
    expect(messageOf(z.object({ n: z.number() }), { n: null })).toBe('Must be a number');
  });

  it('lists the allowed values for a bad enum value', () => {
    expect(errorsFor(createUserSchema, { name: 'Ada', email: 'ada@example.com', role: 'superuser' })).toEqual([
      { field: 'role', message: 'Must be one of: user, admin' },
    ]);
    expect(messageOf(z.object({ kind: z.literal('ok') }), { kind: 'no' })).toBe('Must be "ok"');
  });

  it('says what size is allowed', () => {
    expect(messageOf(z.string().check(z.minLength(1)), '')).toBe('Must not be empty');
    expect(messageOf(z.string().check(z.minLength(3)), 'ab')).toBe('Must be at least 3 characters');
    expect(messageOf(z.string().check(z.maxLength(3)), 'abcd')).toBe('Must be at most 3 characters');
    expect(messageOf(z.string().check(z.length(2)), 'abc')).toBe('Must be exactly 2 characters');
    expect(messageOf(z.number().check(z.gte(1)), 0)).toBe('Must be at least 1');
    expect(messageOf(z.number().check(z.gt(0)), 0)).toBe('Must be more than 0');
    expect(messageOf(z.array(z.string()).check(z.maxLength(1)), ['a', 'b'])).toBe('Must be at most 1 item');
    expect(messageOf(z.number().check(z.multipleOf(5)), 7)).toBe('Must be a multiple of 5');
  });

  it('says which format is expected', () => {
    expect(messageOf(z.email(), 'nope')).toBe('Must be an email address');
    expect(messageOf(z.iso.datetime(), 'today')).toMatch(/^Must be an ISO 8601 date and time/);
    expect(messageOf(z.string().check(z.regex(/^a+$/)), 'b')).toBe('Must match the pattern /^a+$/');
  });

  it('keeps the message a schema gives itself', () => {
    expect(errorsFor(createUserSchema, { name: 'Ada', email: 'nope' })).toEqual([
      { field: 'email', message: 'Must be an email address' },
    ]);
    expect(errorsFor(createUserSchema, { name: 'x'.repeat(101), email: 'ada@example.com' })).toEqual([
      { field: 'name', message: 'Must be at most 100 characters' },
    ]);
  });

  it('names each unknown field, and the part itself when the whole of it is wrong', () => {
    expect(errorsFor(createUserSchema, { name: 'Ada', email: 'ada@example.com', id: 1, admin: true })).toEqual([
      { field: 'id', message: 'Unknown field' },
      { field: 'admin', message: 'Unknown field' },
    ]);
    expect(errorsFor(createUserSchema, [])).toEqual([{ field: 'body', message: 'Must be an object' }]);
    expect(errorsFor(createUserSchema, null, 'query')).toEqual([{ field: 'query', message: 'Must be an object' }]);
  });

  it('names nested fields by their dotted path', () => {
    const schema = z.object({ address: z.object({ city: z.string() }) });
    expect(errorsFor(schema, { address: {} })).toEqual([{ field: 'address.city', message: 'Required' }]);
  });
});

describe('every schema the API validates with', () => {
  const document = openApiDocument();

  /** The request bodies the document names, each with the zod schema that validates it. */
  const bodies = Object.values(document.paths).flatMap((item) =>
    METHODS.flatMap((method) => {
      const ref = (item[method]?.requestBody?.content['application/json']?.schema as JsonSchema | undefined)?.$ref;
      if (typeof ref !== 'string') return [];
      const name = ref.split('/').at(-1)!;
      return [{ name, json: document.components.schemas[name]!, schema: REQUEST_BODY_SCHEMAS[name]! }];
    }),
  );

  it('covers every request body in the OpenAPI document', () => {
    expect(bodies.length).toBeGreaterThanOrEqual(4);
    for (const { name, schema } of bodies) expect(schema, name).toBeDefined();
  });

  /** Objects with the schema's own fields (any of them missing, any JSON value in them) and a stray one now and then. */
  const bodyFor = (json: JsonSchema) => {
    const properties = Object.keys((json.properties as Record<string, unknown> | undefined) ?? {});
    const value = fc.oneof(
      fc.jsonValue({ maxDepth: 2 }),
      fc.string({ maxLength: 300 }),
      fc.constantFrom('', ' ', 'admin'),
    );
    const fields = fc.record(Object.fromEntries(properties.map((key) => [key, value])), { requiredKeys: [] });
    const stray = fc.dictionary(fc.string({ minLength: 1, maxLength: 8 }), value, { maxKeys: 2 });
    return fc.oneof(
      { weight: 4, arbitrary: fields },
      fc.tuple(fields, stray).map(([known, extra]) => ({ ...extra, ...known })),
      fc.jsonValue({ maxDepth: 2 }),
    );
  };

  it.each(['CreateUser', 'UpdateUser', 'Login', 'Register'])(
    'never answers only "Invalid input" for a %s body',
    (name) => {
      const body = bodies.find((candidate) => candidate.name === name)!;
      fc.assert(
        fc.property(bodyFor(body.json), (data) => {
          for (const error of errorsFor(body.schema, data)) {
            expect(isVague(error), `${error.field}: ${error.message}`).toBe(false);
            expect(error.field).not.toBe('');
          }
        }),
        { numRuns: 400 },
      );
    },
  );

  it('never answers only "Invalid input" for a query or a path', () => {
    const text = fc.option(fc.oneof(fc.string({ maxLength: 12 }), fc.stringMatching(/^-?[0-9]{1,12}$/)), {
      nil: undefined,
    });
    fc.assert(
      fc.property(text, text, (limit, cursor) => {
        const url = new URL('http://localhost/api/users');
        if (limit !== undefined) url.searchParams.set('limit', limit);
        if (cursor !== undefined) url.searchParams.set('cursor', cursor);
        const errors = [...problemErrors(() => readQuery(url, pageQuerySchema)), ...problemErrors(() => readId(limit))];
        for (const error of errors) expect(isVague(error), `${error.field}: ${error.message}`).toBe(false);
      }),
      { numRuns: 400 },
    );
  });

  it('would catch a refinement without a message (the sweep can fail)', () => {
    const careless = z.object({ name: z.string().check(z.refine((name) => name !== 'x')) });
    expect(errorsFor(careless, { name: 'x' }).some(isVague)).toBe(true);
  });
});
