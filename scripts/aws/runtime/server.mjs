// The server function's handler (`server.handler`), in front of OpenNext's (`index.mjs`): loads the settings and
// secrets once, refuses any request that did not come through the CloudFront distribution (a Function URL is
// public), and hands the app the public host and the viewer's address CloudFront vouched for, never a client's.
// The stack's daily schedule invokes it directly to delete expired data (GET /api/cron/prune, run in process).
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { applySettings, once } from './settings.mjs';

/** The header CloudFront adds to every request it sends this origin; its value is the origin secret. */
export const ORIGIN_SECRET_HEADER = 'x-origin-secret';
/** The viewer's address as the edge gate saw it (CloudFront's own clientIp); see gate.mjs. */
export const VIEWER_ADDRESS_HEADER = 'x-viewer-address';

const start = once(async () => {
  await applySettings(JSON.parse(process.env.EDGE_USERS_API_SETTINGS ?? '{}'));
  if (!process.env.ORIGIN_SECRET) throw new Error('ORIGIN_SECRET is not set');
  if (!process.env.PUBLIC_ORIGIN) throw new Error('PUBLIC_ORIGIN is not set');
  // The prune route's secret, made here and known to this instance alone: only the schedule (below) runs it.
  process.env.CRON_SECRET = randomBytes(32).toString('base64url');
  return (await import('./index.mjs')).handler;
});

function problem(status, code, title, detail) {
  return {
    statusCode: status,
    headers: { 'content-type': 'application/problem+json', 'cache-control': 'no-store' },
    body: JSON.stringify({ type: 'about:blank', title, status, code, detail }),
    isBase64Encoded: false,
  };
}

function sameSecret(sent) {
  const expected = Buffer.from(process.env.ORIGIN_SECRET ?? '');
  const given = Buffer.from(sent ?? '');
  return given.length === expected.length && timingSafeEqual(given, expected);
}

/** A Function URL event (API Gateway payload 2.0) with the headers the app may trust set from what we know. */
function trusted(event) {
  const headers = {};
  for (const [name, value] of Object.entries(event.headers ?? {})) headers[name.toLowerCase()] = value;
  const viewer = headers[VIEWER_ADDRESS_HEADER];
  for (const name of [ORIGIN_SECRET_HEADER, VIEWER_ADDRESS_HEADER, 'forwarded', 'x-forwarded-for', 'x-real-ip']) {
    delete headers[name];
  }
  const origin = new URL(process.env.PUBLIC_ORIGIN);
  headers['x-forwarded-host'] = origin.host;
  headers['x-forwarded-proto'] = origin.protocol.slice(0, -1);
  if (viewer) headers['x-real-ip'] = viewer;
  return { ...event, headers };
}

/**
 * EventBridge's scheduled event. Only a principal allowed to invoke this function (the stack's rule) can send one;
 * whatever comes through the Function URL arrives as an HTTP event.
 */
const isSchedule = (event) => event?.source === 'aws.events' && event['detail-type'] === 'Scheduled Event';

/** GET /api/cron/prune as a Function URL event from the public origin, carrying this instance's secret. */
function pruneEvent() {
  const host = new URL(process.env.PUBLIC_ORIGIN).host;
  const path = '/api/cron/prune';
  return {
    version: '2.0',
    routeKey: '$default',
    rawPath: path,
    rawQueryString: '',
    headers: { host, authorization: `Bearer ${process.env.CRON_SECRET}`, 'user-agent': 'edge-users-api schedule' },
    requestContext: { domainName: host, http: { method: 'GET', path, protocol: 'HTTP/1.1', sourceIp: '127.0.0.1' } },
    isBase64Encoded: false,
  };
}

/** Deletes expired data; a failure fails the invocation, so EventBridge retries it and CloudWatch counts it. */
async function prune(serve, context) {
  const result = await serve(trusted(pruneEvent()), context);
  if (result.statusCode !== 200) throw new Error(`pruning failed: ${result.statusCode} ${result.body}`);
  console.log(`pruned: ${result.body}`);
  return JSON.parse(result.body);
}

export async function handler(event, context) {
  let serve;
  try {
    serve = await start();
  } catch (error) {
    console.error('The server function could not start:', error);
    if (isSchedule(event)) throw error;
    return problem(503, 'unavailable', 'Service Unavailable', 'The service is starting or misconfigured.');
  }
  if (isSchedule(event)) return prune(serve, context);
  const secret = Object.entries(event.headers ?? {}).find(([name]) => name.toLowerCase() === ORIGIN_SECRET_HEADER);
  if (!sameSecret(secret?.[1])) {
    return problem(
      403,
      'not_through_cdn',
      'Forbidden',
      'Requests reach this function through its CloudFront distribution only.',
    );
  }
  return serve(trusted(event), context);
}
