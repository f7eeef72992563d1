// Reads the OpenAPI document for people: resolves references and sums up schemas in a few words (the /docs page).
import type { Header, JsonSchema, OpenApiDocument, Parameter, Reference, Response } from './types.ts';

const isReference = (value: unknown): value is Reference =>
  typeof value === 'object' && value !== null && typeof (value as Reference).$ref === 'string';

/** The component a `#/components/...` reference names, or the value itself. */
export function resolve<T>(document: OpenApiDocument, value: T | Reference): T {
  if (!isReference(value)) return value;
  let target: unknown = document;
  for (const part of value.$ref.replace(/^#\//, '').split('/')) target = (target as Record<string, unknown>)[part];
  return resolve(document, target as T | Reference);
}

export const refName = (value: Reference) => value.$ref.slice(value.$ref.lastIndexOf('/') + 1);

const SAFE_INTEGER = Number.MAX_SAFE_INTEGER;

/** e.g. `string (email), at most 254 characters`, `array of User`, `one of: user, admin`. */
export function summarize(schema: JsonSchema): string {
  if (isReference(schema)) return refName(schema);
  // Our allOfs are a named schema narrowed in place (a problem's status): the name says it.
  if (Array.isArray(schema.allOf)) return schema.allOf.filter(isReference).map(refName).join(' & ');
  if (Array.isArray(schema.enum)) return `one of: ${schema.enum.join(', ')}`;
  if (schema.const !== undefined) return JSON.stringify(schema.const);
  const notes: string[] = [];
  const { type, format, minLength, maxLength, minimum, maximum, pattern, minProperties } = schema;
  if (typeof minLength === 'number' && typeof maxLength === 'number')
    notes.push(`${minLength} to ${maxLength} characters`);
  else if (typeof maxLength === 'number') notes.push(`at most ${maxLength} characters`);
  else if (typeof minLength === 'number') notes.push(`at least ${minLength} characters`);
  if (typeof minimum === 'number' && minimum > -SAFE_INTEGER) notes.push(`≥ ${minimum}`);
  if (typeof maximum === 'number' && maximum < SAFE_INTEGER) notes.push(`≤ ${maximum}`);
  // Formats carry their own (long) patterns; show a pattern only where it is the whole rule.
  if (typeof pattern === 'string' && !format) notes.push(`matching ${pattern}`);
  if (typeof minProperties === 'number') notes.push(`at least ${minProperties} field`);
  if (schema.default !== undefined) notes.push(`default ${JSON.stringify(schema.default)}`);
  let name = typeof type === 'string' ? type : 'any';
  if (type === 'array' && schema.items) name = `array of ${summarize(schema.items as JsonSchema)}`;
  if (typeof format === 'string') name += ` (${format})`;
  return [name, ...notes].join(', ');
}

export interface Field {
  name: string;
  type: string;
  required: boolean;
  description?: string;
}

/** The top-level fields of an object schema (after following a reference). */
export function fieldsOf(document: OpenApiDocument, schema: JsonSchema): Field[] {
  const object = resolve<JsonSchema>(document, schema);
  const properties = (object.properties ?? {}) as Record<string, JsonSchema>;
  const requiredNames = new Set((object.required ?? []) as string[]);
  return Object.entries(properties).map(([name, property]) => ({
    name,
    type: summarize(property),
    required: requiredNames.has(name),
    description: typeof property.description === 'string' ? property.description : undefined,
  }));
}

export function parametersOf(document: OpenApiDocument, parameters: (Parameter | Reference)[] = []): Parameter[] {
  return parameters.map((parameter) => resolve(document, parameter));
}

export interface ResponseSummary {
  status: string;
  description: string;
  body?: { mediaType: string; schema: string };
  headers: { name: string; required: boolean; description?: string }[];
  /** The problem codes a problem response may carry. */
  codes: string[];
}

/** The codes a problem schema narrows `code` to (`allOf: [Problem, { properties: { code: { enum } } }]`). */
export function problemCodesOf(schema: JsonSchema | undefined): string[] {
  const parts = Array.isArray(schema?.allOf) ? (schema.allOf as JsonSchema[]) : [];
  const narrowed = parts.flatMap((part) => {
    const code = (part.properties as Record<string, JsonSchema> | undefined)?.code;
    return Array.isArray(code?.enum) ? (code.enum as string[]) : [];
  });
  return narrowed;
}

export function responsesOf(
  document: OpenApiDocument,
  responses: Record<string, Response | Reference>,
): ResponseSummary[] {
  return Object.entries(responses).map(([status, value]) => {
    const response = resolve(document, value);
    const [mediaType, media] = Object.entries(response.content ?? {})[0] ?? [];
    return {
      status,
      description: response.description,
      ...(mediaType && media ? { body: { mediaType, schema: summarize(media.schema) } } : {}),
      codes: problemCodesOf(media?.schema),
      headers: Object.entries(response.headers ?? {}).map(([name, header]) => {
        const { required, description } = resolve<Header>(document, header);
        return { name, required: required === true, description };
      }),
    };
  });
}
