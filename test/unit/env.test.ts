// Settings: parseEnv validates every variable at once and names each bad one; env() reads them once.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { OWASP_PBKDF2_ITERATIONS, parseEnv } from '@/src/env.ts';

const DATABASE_URL = 'postgresql://app:secret@db.example:5432/app';
const JWT_SECRET = 'x'.repeat(32);
const valid = { DATABASE_URL, JWT_SECRET };
const inProduction = { ...valid, NODE_ENV: 'production', PUBLIC_ORIGIN: 'https://api.example.com' };

afterEach(() => {
  vi.unstubAllEnvs();
});

describe('parseEnv', () => {
  it('fills in the documented defaults', () => {
    expect(parseEnv(valid)).toEqual({
      NODE_ENV: 'development',
      DATABASE_URL,
      DATABASE_TIMEOUT_MS: 5_000,
      JWT_SECRET,
      JWT_ISSUER: 'edge-users-api',
      JWT_AUDIENCE: 'edge-users-api',
      ACCESS_TOKEN_TTL_SECONDS: 300,
      SESSION_TTL_SECONDS: 2_592_000,
      PASSWORD_ITERATIONS: 600_000,
      INVITE_TTL_SECONDS: 604_800,
      PASSWORD_HASH_CONCURRENCY: 2,
      REGISTRATION_ENABLED: true,
      REGISTER_MAX_PER_ADDRESS: 20,
      REGISTER_WINDOW_SECONDS: 3600,
      LOGIN_MAX_FAILURES: 10,
      LOGIN_MAX_ATTEMPTS_PER_ADDRESS: 100,
      LOGIN_WINDOW_SECONDS: 900,
      TRUST_PROXY: false,
      CORS_ORIGINS: [],
      DEPLOYMENT_ORIGINS: [],
      RESEND_BASE_URL: 'https://api.resend.com',
      EMAIL_TIMEOUT_MS: 5_000,
      PASSWORD_RESET_MAX_PER_EMAIL: 3,
      PASSWORD_RESET_MAX_PER_ADDRESS: 20,
      PASSWORD_RESET_WINDOW_SECONDS: 3600,
    });
    expect(OWASP_PBKDF2_ITERATIONS).toBe(600_000);
  });

  it('leaves NEON_FETCH_ENDPOINT and JWT_JWKS_URL unset by default', () => {
    const settings = parseEnv(valid);
    expect(settings.NEON_FETCH_ENDPOINT).toBeUndefined();
    expect(settings.JWT_JWKS_URL).toBeUndefined();
  });

  it('reads every setting given', () => {
    expect(
      parseEnv({
        ...valid,
        NODE_ENV: 'production',
        NEON_FETCH_ENDPOINT: 'http://127.0.0.1:4444/sql',
        DATABASE_TIMEOUT_MS: '250',
        JWT_JWKS_URL: 'https://idp.example/.well-known/jwks.json',
        JWT_ISSUER: 'https://idp.example/',
        JWT_AUDIENCE: 'users-api',
        ACCESS_TOKEN_TTL_SECONDS: '900',
        SESSION_TTL_SECONDS: '86400',
        PASSWORD_ITERATIONS: '700000',
        INVITE_TTL_SECONDS: '3600',
        PASSWORD_HASH_CONCURRENCY: '4',
        REGISTRATION_ENABLED: 'false',
        REGISTER_MAX_PER_ADDRESS: '3',
        REGISTER_WINDOW_SECONDS: '600',
        LOGIN_MAX_FAILURES: '5',
        LOGIN_MAX_ATTEMPTS_PER_ADDRESS: '50',
        LOGIN_WINDOW_SECONDS: '60',
        TRUST_PROXY: 'true',
        CORS_ORIGINS: 'https://app.example',
        PUBLIC_ORIGIN: 'https://api.example.com',
        RESEND_API_KEY: 're_123456789',
        EMAIL_FROM: 'Users <no-reply@example.com>',
        RESEND_BASE_URL: 'http://127.0.0.1:4500',
        EMAIL_TIMEOUT_MS: '2000',
        PASSWORD_RESET_MAX_PER_EMAIL: '2',
        PASSWORD_RESET_MAX_PER_ADDRESS: '10',
        PASSWORD_RESET_WINDOW_SECONDS: '900',
      }),
    ).toEqual({
      NODE_ENV: 'production',
      DATABASE_URL,
      NEON_FETCH_ENDPOINT: 'http://127.0.0.1:4444/sql',
      DATABASE_TIMEOUT_MS: 250,
      JWT_SECRET,
      JWT_JWKS_URL: 'https://idp.example/.well-known/jwks.json',
      JWT_ISSUER: 'https://idp.example/',
      JWT_AUDIENCE: 'users-api',
      ACCESS_TOKEN_TTL_SECONDS: 900,
      SESSION_TTL_SECONDS: 86_400,
      PASSWORD_ITERATIONS: 700_000,
      INVITE_TTL_SECONDS: 3600,
      PASSWORD_HASH_CONCURRENCY: 4,
      REGISTRATION_ENABLED: false,
      REGISTER_MAX_PER_ADDRESS: 3,
      REGISTER_WINDOW_SECONDS: 600,
      LOGIN_MAX_FAILURES: 5,
      LOGIN_MAX_ATTEMPTS_PER_ADDRESS: 50,
      LOGIN_WINDOW_SECONDS: 60,
      TRUST_PROXY: true,
      CORS_ORIGINS: ['https://app.example'],
      PUBLIC_ORIGIN: 'https://api.example.com',
      DEPLOYMENT_ORIGINS: [],
      RESEND_API_KEY: 're_123456789',
      EMAIL_FROM: 'Users <no-reply@example.com>',
      RESEND_BASE_URL: 'http://127.0.0.1:4500',
      EMAIL_TIMEOUT_MS: 2000,
      PASSWORD_RESET_MAX_PER_EMAIL: 2,
      PASSWORD_RESET_MAX_PER_ADDRESS: 10,
      PASSWORD_RESET_WINDOW_SECONDS: 900,
    });
  });

  describe('email (RESEND_API_KEY, EMAIL_FROM)', () => {
    it('needs EMAIL_FROM with a key, and says what it should look like', () => {
      expect(() => parseEnv({ ...valid, RESEND_API_KEY: 're_123' })).toThrow(
        'EMAIL_FROM is required with RESEND_API_KEY: the sender, such as "Users <no-reply@example.com>"',
      );
    });

    it('refuses a key that is not a Resend key', () => {
      expect(() => parseEnv({ ...valid, RESEND_API_KEY: 'sk_live_123', EMAIL_FROM: 'a@example.com' })).toThrow(
        'RESEND_API_KEY must be a Resend API key: re_ followed by the rest',
      );
    });

    it.each(['no-reply@example.com', 'Users <no-reply@example.com>', 'Acme Users <a.b@mail.example.co>'])(
      'accepts the sender %s',
      (from) => {
        expect(parseEnv({ ...valid, RESEND_API_KEY: 're_123', EMAIL_FROM: from }).EMAIL_FROM).toBe(from);
      },
    );

    it.each([
      'Users',
      'no-reply',
      'Users no-reply@example.com',
      '<no-reply@example.com',
      'Users <no reply@example.com>',
    ])('refuses the sender %s, naming the shapes it takes', (from) => {
      expect(() => parseEnv({ ...valid, EMAIL_FROM: from })).toThrow(
        'EMAIL_FROM must be a sender such as no-reply@example.com or "Users <no-reply@example.com>"',
      );
    });

    it('needs no key at all: links are then only logged', () => {
      expect(parseEnv(inProduction).RESEND_API_KEY).toBeUndefined();
    });
  });

  describe('PUBLIC_ORIGIN', () => {
    const production = { ...valid, NODE_ENV: 'production' };

    it('is required in production, with a message naming it and the expected shape', () => {
      expect(() => parseEnv(production)).toThrow(
        /^Invalid configuration:\n {2}PUBLIC_ORIGIN is required in production: the origin clients reach this app by, such as https:\/\/api\.example\.com/,
      );
    });

    it('is optional in development and test, where links follow the request', () => {
      expect(parseEnv(valid).PUBLIC_ORIGIN).toBeUndefined();
      expect(parseEnv({ ...valid, NODE_ENV: 'test' }).PUBLIC_ORIGIN).toBeUndefined();
    });

    it.each([
      ['https://api.example.com', 'https://api.example.com'],
      ['https://API.Example.com/', 'https://api.example.com'],
      ['http://localhost:3000', 'http://localhost:3000'],
      ['https://api.example.com:443', 'https://api.example.com'],
    ])('takes %s as the origin %s', (value, expected) => {
      expect(parseEnv({ ...production, PUBLIC_ORIGIN: value }).PUBLIC_ORIGIN).toBe(expected);
    });

    it.each([
      'https://api.example.com/api',
      'https://api.example.com/?x=1',
      'https://api.example.com?',
      'https://api.example.com/#top',
      'https://user:pass@api.example.com',
      'ftp://api.example.com',
      'api.example.com',
    ])('refuses %s, naming the expected shape', (value) => {
      expect(() => parseEnv({ ...valid, PUBLIC_ORIGIN: value })).toThrow(
        'PUBLIC_ORIGIN must be an origin such as https://api.example.com (scheme and host, optionally a port; no path, query or fragment)',
      );
    });

    describe('on Vercel (VERCEL=1), when unset', () => {
      const vercel = {
        ...production,
        VERCEL: '1',
        VERCEL_URL: 'app-abc123-team.vercel.app',
        VERCEL_BRANCH_URL: 'app-git-feature-team.vercel.app',
        VERCEL_PROJECT_PRODUCTION_URL: 'api.example.com',
      };

      it("is the project's production domain in Production", () => {
        expect(parseEnv({ ...vercel, VERCEL_ENV: 'production' })).toMatchObject({
          PUBLIC_ORIGIN: 'https://api.example.com',
          DEPLOYMENT_ORIGINS: ['https://app-abc123-team.vercel.app', 'https://app-git-feature-team.vercel.app'],
        });
      });

      it("is the deployment's own URL in a preview, with the branch URL also counted as this site", () => {
        expect(parseEnv({ ...vercel, VERCEL_ENV: 'preview' })).toMatchObject({
          PUBLIC_ORIGIN: 'https://app-abc123-team.vercel.app',
          DEPLOYMENT_ORIGINS: ['https://app-abc123-team.vercel.app', 'https://app-git-feature-team.vercel.app'],
        });
      });

      it('gives way to a PUBLIC_ORIGIN that is set', () => {
        expect(
          parseEnv({ ...vercel, VERCEL_ENV: 'production', PUBLIC_ORIGIN: 'https://users.example.org' }).PUBLIC_ORIGIN,
        ).toBe('https://users.example.org');
      });

      it('derives nothing under vercel dev, which serves plain HTTP as next dev does', () => {
        expect(parseEnv({ ...vercel, NODE_ENV: 'development', VERCEL_ENV: 'development' })).toMatchObject({
          PUBLIC_ORIGIN: undefined,
          DEPLOYMENT_ORIGINS: [],
        });
      });

      it('derives nothing when VERCEL is not 1, and refuses a production start then', () => {
        expect(() => parseEnv({ ...vercel, VERCEL: undefined, VERCEL_ENV: 'production' })).toThrow(
          /PUBLIC_ORIGIN is required/,
        );
      });
    });
  });

  describe('JWT_SECRET', () => {
    it('is required in production, with a hint how to make one', () => {
      expect(() => parseEnv({ DATABASE_URL, NODE_ENV: 'production' })).toThrow(/JWT_SECRET is required.*openssl rand/);
    });

    it('has no default in development either', () => {
      expect(() => parseEnv({ DATABASE_URL })).toThrow(/JWT_SECRET is required/);
    });

    it('counts an empty value as unset', () => {
      expect(() => parseEnv({ DATABASE_URL, JWT_SECRET: '' })).toThrow(/JWT_SECRET is required/);
    });

    it('refuses 31 bytes and accepts 32', () => {
      expect(() => parseEnv({ DATABASE_URL, JWT_SECRET: 'x'.repeat(31) })).toThrow(
        /JWT_SECRET must be at least 32 bytes long/,
      );
      expect(parseEnv({ DATABASE_URL, JWT_SECRET: 'x'.repeat(32) }).JWT_SECRET).toHaveLength(32);
    });

    it('counts bytes, not characters', () => {
      // '€' is three bytes in UTF-8.
      expect(() => parseEnv({ DATABASE_URL, JWT_SECRET: '€'.repeat(10) })).toThrow(/JWT_SECRET/);
      expect(parseEnv({ DATABASE_URL, JWT_SECRET: '€'.repeat(11) }).JWT_SECRET).toBe('€'.repeat(11));
    });
  });

  describe('PASSWORD_ITERATIONS', () => {
    it(`must be at least ${OWASP_PBKDF2_ITERATIONS} in production`, () => {
      expect(() => parseEnv({ ...valid, NODE_ENV: 'production', PASSWORD_ITERATIONS: '599999' })).toThrow(
        /PASSWORD_ITERATIONS must be at least 600000 in production/,
      );
      expect(parseEnv({ ...inProduction, PASSWORD_ITERATIONS: '600000' }).PASSWORD_ITERATIONS).toBe(600_000);
    });

    it('defaults to a count production accepts', () => {
      expect(parseEnv(inProduction).PASSWORD_ITERATIONS).toBe(OWASP_PBKDF2_ITERATIONS);
    });

    it('may be 1000 in development and test, for fast local hashing', () => {
      expect(parseEnv({ ...valid, PASSWORD_ITERATIONS: '1000' }).PASSWORD_ITERATIONS).toBe(1_000);
      expect(parseEnv({ ...valid, NODE_ENV: 'test', PASSWORD_ITERATIONS: '1000' }).PASSWORD_ITERATIONS).toBe(1_000);
    });

    it.each(['999', '1000.5', 'many', '10000001'])('refuses %s anywhere', (value) => {
      expect(() => parseEnv({ ...valid, PASSWORD_ITERATIONS: value })).toThrow(/PASSWORD_ITERATIONS/);
    });
  });

  describe('DATABASE_URL', () => {
    it('is required', () => {
      expect(() => parseEnv({ JWT_SECRET })).toThrow(/DATABASE_URL/);
    });

    it.each(['mysql://app@db.example/app', 'not a url', 'https://db.example/app'])(
      'refuses %s as not a postgresql:// URL',
      (value) => {
        expect(() => parseEnv({ JWT_SECRET, DATABASE_URL: value })).toThrow(
          /DATABASE_URL must be a postgresql:\/\/ connection string/,
        );
      },
    );

    it.each([
      'postgres://nope',
      'postgresql://db.example/app',
      'postgresql://app@db.example/app',
      'postgresql://app:secret@db.example',
      'postgresql://app:secret@db.example/',
    ])('refuses %s at start, naming the shape it expects (it failed only at the first query)', (value) => {
      expect(() => parseEnv({ JWT_SECRET, DATABASE_URL: value })).toThrow(
        'DATABASE_URL must name a user, password, host and database: postgresql://USER:PASSWORD@HOST/DATABASE',
      );
    });

    it('never repeats the password it was given', () => {
      expect(() => parseEnv({ JWT_SECRET, DATABASE_URL: 'postgresql://app:hunter2hunter2@db.example' })).toThrow(
        expect.objectContaining({ message: expect.not.stringContaining('hunter2') }),
      );
    });

    it('accepts postgres:// and postgresql://', () => {
      expect(parseEnv({ JWT_SECRET, DATABASE_URL: 'postgres://app:secret@db.example/app' }).DATABASE_URL).toBe(
        'postgres://app:secret@db.example/app',
      );
      expect(parseEnv({ JWT_SECRET, DATABASE_URL }).DATABASE_URL).toBe(DATABASE_URL);
    });
  });

  it('counts any empty value as unset, so its default applies', () => {
    expect(parseEnv({ ...valid, JWT_ISSUER: '', ACCESS_TOKEN_TTL_SECONDS: '', CORS_ORIGINS: '' })).toMatchObject({
      JWT_ISSUER: 'edge-users-api',
      ACCESS_TOKEN_TTL_SECONDS: 300,
      CORS_ORIGINS: [],
    });
  });

  it('parses CORS_ORIGINS, comma-separated, into a list', () => {
    expect(parseEnv({ ...valid, CORS_ORIGINS: 'https://app.example, https://admin.example ,,' }).CORS_ORIGINS).toEqual([
      'https://app.example',
      'https://admin.example',
    ]);
  });

  it.each([
    ['true', true],
    ['1', true],
    ['false', false],
    ['0', false],
  ])('reads REGISTRATION_ENABLED=%s as %s', (value, expected) => {
    expect(parseEnv({ ...valid, REGISTRATION_ENABLED: value }).REGISTRATION_ENABLED).toBe(expected);
  });

  it.each(['REGISTRATION_ENABLED', 'TRUST_PROXY'])('says what %s accepts when given maybe', (name) => {
    expect(() => parseEnv({ ...valid, [name]: 'maybe' })).toThrow(`${name} must be true or false (or 1 or 0)`);
  });

  it('refuses a CRON_SECRET shorter than 16 characters, and leaves it unset by default', () => {
    expect(() => parseEnv({ ...valid, CRON_SECRET: 'short' })).toThrow('CRON_SECRET must be at least 16 characters');
    expect(parseEnv(valid).CRON_SECRET).toBeUndefined();
    expect(parseEnv({ ...valid, CRON_SECRET: 'c'.repeat(16) }).CRON_SECRET).toBe('c'.repeat(16));
  });

  it.each([
    ['REGISTRATION_ENABLED', 'yes'],
    ['NODE_ENV', 'staging'],
    ['ACCESS_TOKEN_TTL_SECONDS', '29'],
    ['ACCESS_TOKEN_TTL_SECONDS', '3601'],
    ['PASSWORD_HASH_CONCURRENCY', '0'],
    ['TRUST_PROXY', 'yes'],
    ['DATABASE_TIMEOUT_MS', '0'],
    ['LOGIN_MAX_FAILURES', '0'],
    ['NEON_FETCH_ENDPOINT', 'ftp://db.example/sql'],
    ['JWT_JWKS_URL', 'file:///etc/jwks.json'],
  ])('names %s=%s as invalid', (name, value) => {
    expect(() => parseEnv({ ...valid, [name]: value })).toThrow(
      new RegExp(`^Invalid configuration:\\n(.*\\n)*  ${name} `),
    );
  });

  it('says what a number setting expects', () => {
    expect(() => parseEnv({ ...valid, DATABASE_TIMEOUT_MS: 'abc' })).toThrow(
      'DATABASE_TIMEOUT_MS must be a whole number of milliseconds from 100 to 60000',
    );
  });

  it('names every bad variable in one message', () => {
    let message = '';
    try {
      parseEnv({
        DATABASE_URL: 'mysql://db',
        JWT_SECRET: 'short',
        NODE_ENV: 'production',
        PASSWORD_ITERATIONS: '1000',
      });
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message.split('\n')).toEqual([
      'Invalid configuration:',
      expect.stringMatching(/^ {2}DATABASE_URL /),
      expect.stringMatching(/^ {2}JWT_SECRET /),
      expect.stringMatching(/^ {2}PASSWORD_ITERATIONS /),
      expect.stringMatching(/^ {2}PUBLIC_ORIGIN /),
    ]);
  });
});

describe('env', () => {
  it('reads process.env once per module instance', async () => {
    vi.stubEnv('DATABASE_URL', DATABASE_URL);
    vi.stubEnv('JWT_SECRET', JWT_SECRET);
    vi.stubEnv('ACCESS_TOKEN_TTL_SECONDS', '120');
    vi.resetModules();
    const { env } = await import('@/src/env.ts');
    const first = env();
    expect(first.ACCESS_TOKEN_TTL_SECONDS).toBe(120);
    vi.stubEnv('ACCESS_TOKEN_TTL_SECONDS', '240');
    expect(env()).toBe(first);
  });

  it('trusts forwarded headers on Vercel, whose edge sets them itself, unless TRUST_PROXY says otherwise', async () => {
    vi.stubEnv('DATABASE_URL', DATABASE_URL);
    vi.stubEnv('JWT_SECRET', JWT_SECRET);
    vi.stubEnv('VERCEL', '1');
    vi.resetModules();
    expect((await import('@/src/env.ts')).env().TRUST_PROXY).toBe(true);
    vi.stubEnv('TRUST_PROXY', 'false');
    vi.resetModules();
    expect((await import('@/src/env.ts')).env().TRUST_PROXY).toBe(false);
  });

  it("reads Vercel's system variables at run time to derive PUBLIC_ORIGIN", async () => {
    vi.stubEnv('DATABASE_URL', DATABASE_URL);
    vi.stubEnv('JWT_SECRET', JWT_SECRET);
    vi.stubEnv('NODE_ENV', 'production');
    vi.stubEnv('PUBLIC_ORIGIN', '');
    vi.stubEnv('VERCEL', '1');
    vi.stubEnv('VERCEL_ENV', 'production');
    vi.stubEnv('VERCEL_URL', 'app-abc123-team.vercel.app');
    vi.stubEnv('VERCEL_BRANCH_URL', 'app-git-main-team.vercel.app');
    vi.stubEnv('VERCEL_PROJECT_PRODUCTION_URL', 'api.example.com');
    vi.resetModules();
    expect((await import('@/src/env.ts')).env()).toMatchObject({
      PUBLIC_ORIGIN: 'https://api.example.com',
      DEPLOYMENT_ORIGINS: ['https://app-abc123-team.vercel.app', 'https://app-git-main-team.vercel.app'],
    });
  });

  it('throws naming the bad variable on first use', async () => {
    vi.stubEnv('DATABASE_URL', DATABASE_URL);
    vi.stubEnv('JWT_SECRET', 'too-short');
    vi.resetModules();
    const { env } = await import('@/src/env.ts');
    expect(() => env()).toThrow(/JWT_SECRET must be at least 32 bytes long/);
  });
});
