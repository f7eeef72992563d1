// Points this test file's app code at a local endpoint under a tag of its own, so the endpoint's per-tag counter
// gives exact database round trips even while other files run. The app reads these settings on first use.
import { withTag } from '@/scripts/local-db/credentials.ts';

export interface LocalEndpoint {
  endpoint: string;
  connectionString: string;
}

export function pointAtDatabase({ endpoint, connectionString }: LocalEndpoint): { tag: string } {
  const tag = `t_${crypto.randomUUID().replaceAll('-', '')}`;
  process.env.DATABASE_URL = withTag(connectionString, tag);
  process.env.NEON_FETCH_ENDPOINT = endpoint;
  process.env.JWT_SECRET ??= 'test-secret-that-is-at-least-32-bytes-long!';
  // Tests may hash cheaply; production refuses fewer than OWASP's 600,000 iterations.
  process.env.PASSWORD_ITERATIONS ??= '1000';
  // Files share a database, and without a trusted proxy every sign-up one address: the limit gets its own tests.
  process.env.REGISTER_MAX_PER_ADDRESS ??= '100000';
  return { tag };
}
