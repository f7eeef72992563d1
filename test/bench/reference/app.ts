// The benchmark's reference: the same users endpoints written by hand with Neon's raw `neon()` driver and
// plain SQL, as a `(Request) => Response` function. Same JSON shapes, status codes and Link header as ours
// on success paths (a created user comes with their invitation link, stored hashed in the same statement); the
// same token check (src/auth/tokens.ts), done once; validation by hand.
import { neon, neonConfig } from '@neondatabase/serverless';
import { base64url } from 'jose';
import { verifyToken, type Identity } from '@/src/auth/tokens.ts';
import { Problem, problemResponse, type ProblemCode } from '@/src/http/problem.ts';

export interface ReferenceSettings {
  databaseUrl: string;
  fetchEndpoint?: string;
  timeoutMs: number;
}

interface Row {
  id: number;
  name: string;
  email: string;
  role: string;
  createdAt: Date;
  updatedAt: Date;
}

const INVITE_TTL_SECONDS = 7 * 24 * 3600;
const PAGE_SIZE = 20;
const MAX_PAGE_SIZE = 100;
const ID = /^[1-9][0-9]{0,9}$/;
// Stored as timestamp(3) in UTC, as Prisma writes them; read back as timestamptz so no local time zone applies.
const COLUMNS = `id, name, email, role, "createdAt" AT TIME ZONE 'UTC' AS "createdAt", "updatedAt" AT TIME ZONE 'UTC' AS "updatedAt"`;

const toJson = (row: Row) => ({
  id: row.id,
  name: row.name,
  email: row.email,
  role: row.role,
  createdAt: row.createdAt.toISOString(),
  updatedAt: row.updatedAt.toISOString(),
});

const problem = (code: ProblemCode, detail: string, headers?: Record<string, string>) =>
  problemResponse(new Problem(code, { detail, headers }));

function baseUrl(req: Request): URL {
  const url = new URL(req.url);
  const host = req.headers.get('host');
  if (host) url.host = host;
  return url;
}

async function signedIn(req: Request): Promise<Identity | Response> {
  const [scheme, token] = (req.headers.get('authorization') ?? '').split(' ');
  if (scheme !== 'Bearer' || !token)
    return problem('missing_token', 'Sign in first.', { 'www-authenticate': 'Bearer' });
  try {
    return await verifyToken(token);
  } catch (error) {
    if (error instanceof Problem) return problemResponse(error);
    throw error;
  }
}

export function createReference(settings: ReferenceSettings): (req: Request) => Promise<Response> {
  if (settings.fetchEndpoint) neonConfig.fetchEndpoint = settings.fetchEndpoint;
  // The same bound on each database fetch as src/db/client.ts, so only the ORM and framework differ.
  neonConfig.fetchFunction = (input: RequestInfo | URL, init?: RequestInit) =>
    fetch(input, { ...init, signal: AbortSignal.timeout(settings.timeoutMs) });
  const sql = neon(settings.databaseUrl);

  async function list(req: Request): Promise<Response> {
    const url = baseUrl(req);
    const limit = Number(url.searchParams.get('limit') ?? PAGE_SIZE);
    const cursor = url.searchParams.get('cursor');
    if (!Number.isInteger(limit) || limit < 1 || limit > MAX_PAGE_SIZE)
      return problem('validation_failed', 'Bad limit.');
    if (cursor !== null && !ID.test(cursor)) return problem('validation_failed', 'Bad cursor.');
    const rows = (await sql.query(`SELECT ${COLUMNS} FROM users WHERE id > $1 ORDER BY id LIMIT $2`, [
      cursor ?? 0,
      limit + 1,
    ])) as Row[];
    const items = rows.slice(0, limit);
    const headers: Record<string, string> = {};
    if (rows.length > limit) {
      url.searchParams.set('limit', String(limit));
      url.searchParams.set('cursor', String(items.at(-1)!.id));
      headers.link = `<${url.href}>; rel="next"`;
    }
    return Response.json(items.map(toJson), { headers });
  }

  async function one(id: string): Promise<Response> {
    if (!ID.test(id)) return problem('validation_failed', 'Bad id.');
    const [row] = (await sql.query(`SELECT ${COLUMNS} FROM users WHERE id = $1`, [id])) as Row[];
    return row ? Response.json(toJson(row)) : problem('user_not_found', 'No such user.');
  }

  async function create(req: Request, user: Identity): Promise<Response> {
    if (user.role !== 'admin') return problem('not_allowed', 'Only an admin may do this.');
    const body = (await req.json().catch(() => null)) as { name?: unknown; email?: unknown; role?: unknown } | null;
    const name = typeof body?.name === 'string' ? body.name.trim() : '';
    const email = typeof body?.email === 'string' ? body.email.trim().toLowerCase() : '';
    const role = body?.role ?? 'user';
    if (!name || !email.includes('@') || (role !== 'user' && role !== 'admin'))
      return problem('validation_failed', 'Bad user.');
    const token = base64url.encode(crypto.getRandomValues(new Uint8Array(32)));
    const tokenHash = base64url.encode(
      new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(token))),
    );
    try {
      const [row] = (await sql.query(
        `WITH created AS (
           INSERT INTO users (name, email, role, "updatedAt") VALUES ($1, $2, $3::"Role", now()) RETURNING *
         ), invited AS (
           INSERT INTO invitations ("userId", purpose, "tokenHash", "expiresAt")
           SELECT id, 'invitation', $4, now() + make_interval(secs => $5) FROM created
           RETURNING "expiresAt" AT TIME ZONE 'UTC' AS "expiresAt"
         )
         SELECT ${COLUMNS}, (SELECT "expiresAt" FROM invited) FROM created`,
        [name, email, role, tokenHash, INVITE_TTL_SECONDS],
      )) as (Row & { expiresAt: Date })[];
      const location = new URL(`/api/users/${row!.id}`, baseUrl(req)).href;
      const invitation = {
        url: new URL(`/invite/${token}`, baseUrl(req)).href,
        purpose: 'invitation',
        expiresAt: row!.expiresAt.toISOString(),
      };
      return Response.json({ ...toJson(row!), invitation }, { status: 201, headers: { location } });
    } catch (error) {
      if ((error as { code?: string }).code === '23505')
        return problem('email_taken', 'A user with this email already exists.');
      throw error;
    }
  }

  return async (req) => {
    const { pathname } = new URL(req.url);
    if (pathname === '/api/hello' && req.method === 'GET') {
      return Response.json({ message: 'Hello from Next.js Backend!' });
    }
    if (pathname !== '/api/users' && !pathname.startsWith('/api/users/'))
      return problem('no_such_endpoint', 'Not found.');
    const user = await signedIn(req);
    if (user instanceof Response) return user;
    if (pathname === '/api/users') {
      if (req.method === 'GET') return list(req);
      if (req.method === 'POST') return create(req, user);
    } else if (req.method === 'GET') {
      return one(pathname.slice('/api/users/'.length));
    }
    return problem('method_not_allowed', 'Method not allowed.');
  };
}
