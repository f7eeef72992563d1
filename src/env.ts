// Every setting the app reads, named explicitly (edge bundles inline them) and validated once per isolate.
import * as z from 'zod/mini';

const milliseconds = z.coerce.number().check(z.int(), z.positive(), z.lte(60_000));

const schema = z.object({
  NODE_ENV: z._default(z.enum(['development', 'production', 'test']), 'development'),
  DATABASE_URL: z.url({ protocol: /^postgres(ql)?$/, error: 'must be a postgresql:// connection string' }),
  NEON_FETCH_ENDPOINT: z.optional(z.url({ protocol: /^https?$/ })),
  DATABASE_TIMEOUT_MS: z._default(milliseconds, 5_000),
});

export type Env = z.infer<typeof schema>;

function load(): Env {
  const parsed = z.safeParse(schema, {
    NODE_ENV: process.env.NODE_ENV,
    DATABASE_URL: process.env.DATABASE_URL,
    NEON_FETCH_ENDPOINT: process.env.NEON_FETCH_ENDPOINT || undefined,
    DATABASE_TIMEOUT_MS: process.env.DATABASE_TIMEOUT_MS || undefined,
  });
  if (!parsed.success) {
    const lines = parsed.error.issues.map((issue) => `  ${issue.path.join('.')}: ${issue.message}`);
    throw new Error(`Invalid environment configuration:\n${lines.join('\n')}`);
  }
  return parsed.data;
}

let cached: Env | undefined;

/** The validated settings; throws naming each bad variable. */
export function env(): Env {
  cached ??= load();
  return cached;
}
