// Who may start maintenance over HTTP: Vercel Cron, which sends `Authorization: Bearer $CRON_SECRET`.
import { env } from '@/src/env.ts';
import { Problem } from '@/src/http/problem.ts';

const digest = async (text: string) =>
  new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text)));

/** Compares digests of equal length in full, so the time of a refusal says nothing about how much matched. */
async function sameSecret(given: string, expected: string): Promise<boolean> {
  const [a, b] = await Promise.all([digest(given), digest(expected)]);
  let difference = 0;
  for (let index = 0; index < a.length; index++) difference |= a[index]! ^ b[index]!;
  return difference === 0;
}

/**
 * Refuses unless the request carries the configured secret. Without CRON_SECRET nobody may: a route that deletes
 * rows must not be open because a setting was forgotten.
 */
export async function assertCron(req: Request): Promise<void> {
  const secret = env().CRON_SECRET;
  if (!secret) {
    throw new Problem('cron_disabled', {
      detail:
        'CRON_SECRET is not set, so this route runs for nobody; set it (Vercel Cron sends it) or run npm run db:prune.',
    });
  }
  const authorization = req.headers.get('authorization') ?? '';
  if (!(await sameSecret(authorization, `Bearer ${secret}`))) {
    throw new Problem('cron_unauthorized', {
      detail: 'Send Authorization: Bearer <CRON_SECRET>.',
      headers: { 'www-authenticate': 'Bearer' },
    });
  }
}
