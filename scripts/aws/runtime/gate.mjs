// The edge gate's handler (`gate.handler`), a Lambda@Edge viewer-request function in front of OpenNext's
// middleware build (`handler.mjs`). Lambda@Edge has no environment variables: the stack writes the settings
// (plain values, and the SSM parameter names of the secrets, in the stack's region) into `settings.json` beside
// this file, and they are loaded once per instance. What the gate passes on carries no client-chosen host and the
// viewer's address as CloudFront saw it.
import { readFileSync } from 'node:fs';
import { applySettings, once } from './settings.mjs';

const VIEWER_ADDRESS_HEADER = 'x-viewer-address';
/** Headers a client could use to name another host or address; the app gets the public origin from settings. */
const CLIENT_CHOSEN = ['x-forwarded-host', 'forwarded', 'x-forwarded-for', VIEWER_ADDRESS_HEADER];

const start = once(async () => {
  await applySettings(JSON.parse(readFileSync(new URL('./settings.json', import.meta.url), 'utf8')));
  if (!process.env.JWT_SECRET && !process.env.JWT_JWKS_URL) throw new Error('JWT_SECRET is not set');
  return (await import('./handler.mjs')).handler;
});

const unavailable = {
  status: '503',
  statusDescription: 'Service Unavailable',
  headers: {
    'content-type': [{ key: 'Content-Type', value: 'application/problem+json' }],
    'cache-control': [{ key: 'Cache-Control', value: 'no-store' }],
    'retry-after': [{ key: 'Retry-After', value: '5' }],
  },
  body: JSON.stringify({
    type: 'about:blank',
    title: 'Service Unavailable',
    status: 503,
    code: 'unavailable',
    detail: 'The service is starting or misconfigured.',
  }),
};

export async function handler(event, context) {
  let gate;
  try {
    gate = await start();
  } catch (error) {
    console.error('The edge gate could not start:', error);
    return unavailable;
  }
  const request = event.Records[0].cf.request;
  for (const name of Object.keys(request.headers)) {
    // Next.js's own channel from middleware to the server; only the gate may write it.
    if (CLIENT_CHOSEN.includes(name) || name.startsWith('x-middleware-')) delete request.headers[name];
  }
  request.headers[VIEWER_ADDRESS_HEADER] = [{ key: 'X-Viewer-Address', value: request.clientIp }];
  return gate(event, context);
}
