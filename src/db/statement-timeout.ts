// Bounds each statement on the database server as well as in the app: when the app stops waiting for an answer
// (DATABASE_TIMEOUT_MS), PostgreSQL cancels the statement too, instead of holding a connection for a client that
// has gone. Neon's HTTP endpoint keeps no session between requests, and its proxy passes no `statement_timeout`
// from the connection string to PostgreSQL; so each request is sent as a batch (one transaction, one round trip)
// whose first statement sets the timeout for that transaction alone (`set_config(…, true)`, as SET LOCAL does).
// The first result is then dropped, so the driver sees the answer to exactly what it asked.

type Fetch = (input: RequestInfo | URL, init?: RequestInit) => Promise<Response>;

interface Statement {
  query: string;
  params: unknown[];
}

type Body = Statement | { queries: Statement[] };

const SET_TIMEOUT = "SELECT set_config('statement_timeout', $1, true)";

/** A fetch for Neon's driver that runs every request under `statement_timeout = timeoutMs`. */
export function withStatementTimeout(timeoutMs: number, send: Fetch): Fetch {
  const setTimeout: Statement = { query: SET_TIMEOUT, params: [String(timeoutMs)] };
  return async (input, init) => {
    const body = JSON.parse(String(init?.body)) as Body;
    const batch = 'queries' in body;
    const queries = [setTimeout, ...(batch ? body.queries : [body])];
    const response = await send(input, { ...init, body: JSON.stringify({ queries }) });
    // A database error (400) names the failing statement's fields, not its position: it passes as it came.
    if (!response.ok) return response;
    const { results } = (await response.json()) as { results: unknown[] };
    const own = results.slice(1);
    return Response.json(batch ? { results: own } : own[0], { status: response.status });
  };
}
