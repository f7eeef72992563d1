// Every setting the app reads, named explicitly (edge bundles inline them) and validated once per isolate.
import * as z from 'zod/mini';

/** OWASP's Password Storage Cheat Sheet figure for PBKDF2-HMAC-SHA256. */
export const OWASP_PBKDF2_ITERATIONS = 600_000;

const integer = (min: number, max: number, unit = '') => {
  const error = `must be a whole number${unit && ` of ${unit}`} from ${min} to ${max}`;
  return z.coerce.number({ error }).check(z.int({ error }), z.gte(min, { error }), z.lte(max, { error }));
};
const flag = z.pipe(
  z.enum(['true', 'false', '1', '0'], { error: 'must be true or false (or 1 or 0)' }),
  z.transform((value) => value === 'true' || value === '1'),
);
function parseUrl(value: string): URL | undefined {
  try {
    return new URL(value);
  } catch {
    return undefined;
  }
}

/** `https://api.example.com`: what a browser sends as `Origin` (scheme, host, optional port; nothing after). */
function isOrigin(value: string): boolean {
  const url = parseUrl(value);
  return (
    url !== undefined &&
    (url.protocol === 'https:' || url.protocol === 'http:') &&
    !url.username &&
    !url.password &&
    url.pathname === '/' &&
    !/[?#]/.test(value)
  );
}
const origin = z.pipe(
  z
    .string()
    .check(
      z.refine(
        isOrigin,
        'must be an origin such as https://api.example.com (scheme and host, optionally a port; no path, query or fragment)',
      ),
    ),
  z.transform((value) => new URL(value).origin),
);
const origins = z.pipe(
  z.string(),
  z.transform((value) =>
    value
      .split(',')
      .map((origin) => origin.trim())
      .filter(Boolean),
  ),
);

const DATABASE_URL_SHAPE = 'postgresql://USER:PASSWORD@HOST/DATABASE';

/** Neon's proxy, and the local endpoint, refuse a connection string without each of these, but only at the first query. */
function isConnectionString(value: string): boolean {
  // Not a postgresql:// URL at all: the check before this one says so, once.
  if (!URL.canParse(value) || !/^postgres(ql)?:$/.test(new URL(value).protocol)) return true;
  const url = new URL(value);
  return url.username !== '' && url.password !== '' && url.hostname !== '' && url.pathname.length > 1;
}

/** A sender as Resend takes it: `no-reply@example.com`, or with a display name, `Users <no-reply@example.com>`. */
export const EMAIL_FROM_SHAPE = /^(?:[^<>\r\n]+ )?<[^\s@<>]+@[^\s@<>]+\.[^\s@<>]+>$|^[^\s@<>]+@[^\s@<>]+\.[^\s@<>]+$/;

/** At least Vercel's advice for CRON_SECRET: 16 characters. */
const CRON_SECRET_MIN_LENGTH = 16;

const schema = z
  .object({
    NODE_ENV: z._default(z.enum(['development', 'production', 'test']), 'development'),
    DATABASE_URL: z
      .url({ protocol: /^postgres(ql)?$/, error: 'must be a postgresql:// connection string' })
      .check(z.refine(isConnectionString, `must name a user, password, host and database: ${DATABASE_URL_SHAPE}`)),
    NEON_FETCH_ENDPOINT: z.optional(z.url({ protocol: /^https?$/ })),
    DATABASE_TIMEOUT_MS: z._default(integer(100, 60_000, 'milliseconds'), 5_000),
    JWT_SECRET: z
      .string({ error: 'is required: a random secret of at least 32 bytes (openssl rand -base64 48)' })
      .check(z.refine((secret) => new TextEncoder().encode(secret).byteLength >= 32, 'must be at least 32 bytes long')),
    JWT_JWKS_URL: z.optional(z.url({ protocol: /^https?$/ })),
    JWT_ISSUER: z._default(z.string().check(z.minLength(1)), 'edge-users-api'),
    JWT_AUDIENCE: z._default(z.string().check(z.minLength(1)), 'edge-users-api'),
    ACCESS_TOKEN_TTL_SECONDS: z._default(integer(30, 3600), 300),
    SESSION_TTL_SECONDS: z._default(integer(300, 365 * 24 * 3600), 30 * 24 * 3600),
    PASSWORD_ITERATIONS: z._default(integer(1_000, 10_000_000), OWASP_PBKDF2_ITERATIONS),
    INVITE_TTL_SECONDS: z._default(integer(300, 90 * 24 * 3600), 7 * 24 * 3600),
    REGISTRATION_ENABLED: z._default(flag, true),
    LOGIN_MAX_FAILURES: z._default(integer(1, 1_000), 10),
    LOGIN_WINDOW_SECONDS: z._default(integer(1, 24 * 3600), 15 * 60),
    LOGIN_MAX_ATTEMPTS_PER_ADDRESS: z._default(integer(1, 100_000), 100),
    REGISTER_MAX_PER_ADDRESS: z._default(integer(1, 100_000), 20),
    REGISTER_WINDOW_SECONDS: z._default(integer(1, 24 * 3600), 3600),
    PASSWORD_HASH_CONCURRENCY: z._default(integer(1, 64), 2),
    TRUST_PROXY: z._default(flag, false),
    CORS_ORIGINS: z._default(origins, []),
    INTERNAL_ORIGIN: z.optional(z.url({ protocol: /^https?$/, error: 'must be an http(s):// origin' })),
    PUBLIC_ORIGIN: z.optional(origin),
    DEPLOYMENT_ORIGINS: z._default(z.array(z.string()), []),
    CRON_SECRET: z.optional(
      z.string().check(z.minLength(CRON_SECRET_MIN_LENGTH, `must be at least ${CRON_SECRET_MIN_LENGTH} characters`)),
    ),
    RESEND_API_KEY: z.optional(
      z.string().check(z.regex(/^re_\S+$/, 'must be a Resend API key: re_ followed by the rest, as Resend shows it')),
    ),
    EMAIL_FROM: z.optional(
      z
        .string()
        .check(
          z.regex(
            EMAIL_FROM_SHAPE,
            'must be a sender such as no-reply@example.com or "Users <no-reply@example.com>", on a domain verified at Resend',
          ),
        ),
    ),
    RESEND_BASE_URL: z._default(
      z.url({ protocol: /^https?$/, error: 'must be an http(s):// URL such as https://api.resend.com' }),
      'https://api.resend.com',
    ),
    EMAIL_TIMEOUT_MS: z._default(integer(100, 60_000, 'milliseconds'), 5_000),
    PASSWORD_RESET_MAX_PER_EMAIL: z._default(integer(1, 1_000), 3),
    PASSWORD_RESET_MAX_PER_ADDRESS: z._default(integer(1, 100_000), 20),
    PASSWORD_RESET_WINDOW_SECONDS: z._default(integer(1, 24 * 3600), 3600),
  })
  .check(
    z.refine(
      (settings) => settings.NODE_ENV !== 'production' || settings.PASSWORD_ITERATIONS >= OWASP_PBKDF2_ITERATIONS,
      {
        path: ['PASSWORD_ITERATIONS'],
        message: `must be at least ${OWASP_PBKDF2_ITERATIONS} in production`,
      },
    ),
    z.refine((settings) => settings.NODE_ENV !== 'production' || settings.PUBLIC_ORIGIN !== undefined, {
      path: ['PUBLIC_ORIGIN'],
      message:
        'is required in production: the origin clients reach this app by, such as https://api.example.com ' +
        '(links, redirects, cookies and same-origin checks use it, never a request header)',
    }),
    z.refine((settings) => settings.RESEND_API_KEY === undefined || settings.EMAIL_FROM !== undefined, {
      path: ['EMAIL_FROM'],
      message: 'is required with RESEND_API_KEY: the sender, such as "Users <no-reply@example.com>"',
    }),
  );

export type Env = z.output<typeof schema>;

/** Empty strings count as unset, as they do in most .env files. */
const read = (value: string | undefined) => (value === '' ? undefined : value);

/** Vercel's system environment variables: hosts without a scheme, set at build and run time when VERCEL=1. */
const VERCEL_NAMES = [
  'VERCEL',
  'VERCEL_ENV',
  'VERCEL_URL',
  'VERCEL_BRANCH_URL',
  'VERCEL_PROJECT_PRODUCTION_URL',
] as const;

type Source = Partial<
  Record<Exclude<keyof Env, 'DEPLOYMENT_ORIGINS'> | (typeof VERCEL_NAMES)[number], string | undefined>
>;

/** `https://` and a host Vercel names, when it is only a host. */
function https(host: string | undefined): string | undefined {
  const url = host ? parseUrl(`https://${host}`) : undefined;
  return url && url.host === host?.toLowerCase() ? url.origin : undefined;
}

/**
 * On Vercel: the public origin each environment is reached by, unless PUBLIC_ORIGIN is set (Production: the
 * project's production domain; a preview: the deployment's own URL, which stays this deployment's), and the
 * deployment's own generated URLs (the deployment URL and, from Git, the branch URL a preview visitor often
 * opens), which Vercel routes only to this deployment (or the latest of its branch): writes from them count as
 * same-origin. `vercel dev`
 * (VERCEL_ENV=development) serves plain HTTP on localhost, as `next dev` does: nothing is derived there.
 */
function vercelOrigins(source: Source): { PUBLIC_ORIGIN?: string; DEPLOYMENT_ORIGINS: string[] } {
  if (source.VERCEL !== '1' || source.VERCEL_ENV === 'development') return { DEPLOYMENT_ORIGINS: [] };
  const deployment = https(source.VERCEL_URL);
  const production = source.VERCEL_ENV === 'production' ? https(source.VERCEL_PROJECT_PRODUCTION_URL) : undefined;
  const own = [deployment, https(source.VERCEL_BRANCH_URL)].filter((value) => value !== undefined);
  return { PUBLIC_ORIGIN: production ?? deployment, DEPLOYMENT_ORIGINS: [...new Set(own)] };
}

/** Validates settings, throwing one message that names every bad variable. */
export function parseEnv(source: Source): Env {
  const given: Source = Object.fromEntries(Object.entries(source).map(([key, value]) => [key, read(value)]));
  const vercel = vercelOrigins(given);
  const values: Record<string, unknown> = Object.fromEntries(
    Object.entries(given).filter(([key]) => !(VERCEL_NAMES as readonly string[]).includes(key)),
  );
  values.PUBLIC_ORIGIN ??= vercel.PUBLIC_ORIGIN;
  values.DEPLOYMENT_ORIGINS = vercel.DEPLOYMENT_ORIGINS;
  const parsed = z.safeParse(schema, values);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((issue) => `  ${issue.path.join('.') || 'environment'} ${issue.message}`);
    throw new Error(`Invalid configuration:\n${lines.join('\n')}`);
  }
  return parsed.data;
}

function load(): Env {
  // Each key spelled out: bundlers replace `process.env.NAME` only when written this way.
  return parseEnv({
    NODE_ENV: process.env.NODE_ENV,
    DATABASE_URL: process.env.DATABASE_URL,
    NEON_FETCH_ENDPOINT: process.env.NEON_FETCH_ENDPOINT,
    DATABASE_TIMEOUT_MS: process.env.DATABASE_TIMEOUT_MS,
    JWT_SECRET: process.env.JWT_SECRET,
    JWT_JWKS_URL: process.env.JWT_JWKS_URL,
    JWT_ISSUER: process.env.JWT_ISSUER,
    JWT_AUDIENCE: process.env.JWT_AUDIENCE,
    ACCESS_TOKEN_TTL_SECONDS: process.env.ACCESS_TOKEN_TTL_SECONDS,
    SESSION_TTL_SECONDS: process.env.SESSION_TTL_SECONDS,
    PASSWORD_ITERATIONS: process.env.PASSWORD_ITERATIONS,
    INVITE_TTL_SECONDS: process.env.INVITE_TTL_SECONDS,
    REGISTRATION_ENABLED: process.env.REGISTRATION_ENABLED,
    LOGIN_MAX_FAILURES: process.env.LOGIN_MAX_FAILURES,
    LOGIN_WINDOW_SECONDS: process.env.LOGIN_WINDOW_SECONDS,
    LOGIN_MAX_ATTEMPTS_PER_ADDRESS: process.env.LOGIN_MAX_ATTEMPTS_PER_ADDRESS,
    REGISTER_MAX_PER_ADDRESS: process.env.REGISTER_MAX_PER_ADDRESS,
    REGISTER_WINDOW_SECONDS: process.env.REGISTER_WINDOW_SECONDS,
    PASSWORD_HASH_CONCURRENCY: process.env.PASSWORD_HASH_CONCURRENCY,
    // Vercel's edge overwrites X-Forwarded-* and X-Real-IP itself, so there they can be trusted by default.
    TRUST_PROXY: process.env.TRUST_PROXY ?? (process.env.VERCEL === '1' ? 'true' : undefined),
    CORS_ORIGINS: process.env.CORS_ORIGINS,
    INTERNAL_ORIGIN: process.env.INTERNAL_ORIGIN,
    PUBLIC_ORIGIN: process.env.PUBLIC_ORIGIN,
    VERCEL: process.env.VERCEL,
    VERCEL_ENV: process.env.VERCEL_ENV,
    VERCEL_URL: process.env.VERCEL_URL,
    VERCEL_BRANCH_URL: process.env.VERCEL_BRANCH_URL,
    VERCEL_PROJECT_PRODUCTION_URL: process.env.VERCEL_PROJECT_PRODUCTION_URL,
    CRON_SECRET: process.env.CRON_SECRET,
    RESEND_API_KEY: process.env.RESEND_API_KEY,
    EMAIL_FROM: process.env.EMAIL_FROM,
    RESEND_BASE_URL: process.env.RESEND_BASE_URL,
    EMAIL_TIMEOUT_MS: process.env.EMAIL_TIMEOUT_MS,
    PASSWORD_RESET_MAX_PER_EMAIL: process.env.PASSWORD_RESET_MAX_PER_EMAIL,
    PASSWORD_RESET_MAX_PER_ADDRESS: process.env.PASSWORD_RESET_MAX_PER_ADDRESS,
    PASSWORD_RESET_WINDOW_SECONDS: process.env.PASSWORD_RESET_WINDOW_SECONDS,
  });
}

let cached: Env | undefined;

/** The validated settings; throws naming each bad variable. */
export function env(): Env {
  cached ??= load();
  return cached;
}
