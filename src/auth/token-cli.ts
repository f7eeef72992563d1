// `npm run token -- --sub <id> --role <user|admin> [--ttl <seconds>]`: mints a token for curl with the
// app's own signer and JWT_SECRET (or the local development secret). Node-only; never imported by app/.
import { parseArgs } from 'node:util';
import { devSecret } from '@/src/local-db/dev-secret.ts';

const { values } = parseArgs({
  options: { sub: { type: 'string' }, role: { type: 'string', default: 'user' }, ttl: { type: 'string' } },
});

const id = Number(values.sub);
if (
  !/^[1-9][0-9]*$/.test(values.sub ?? '') ||
  id > 2_147_483_647 ||
  (values.role !== 'user' && values.role !== 'admin')
) {
  console.error('usage: npm run token -- --sub <user id> --role <user|admin> [--ttl <seconds>]');
  process.exit(2);
}

process.env.JWT_SECRET ||= devSecret();
if (values.ttl) process.env.JWT_TTL_SECONDS = values.ttl;
// Minting touches no database, but the settings are validated as a whole.
process.env.DATABASE_URL ||= 'postgresql://unused@localhost/unused';

const { issueToken } = await import('./tokens.ts');
const { token } = await issueToken({ id, role: values.role });
console.log(token);
