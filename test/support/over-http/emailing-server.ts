// For one test file: a Resend stand-in, and a production server (on the suites' database) that emails through it.
import { afterAll, beforeAll, inject } from 'vitest';
import { listenResendStandIn, type ListeningStandIn } from '../email/resend-server.ts';
import { STAND_IN_API_KEY } from '../email/resend-stand-in.ts';
import { startStandaloneServer, type StandaloneServer } from './standalone-server.ts';

export const STAND_IN_SENDER = 'Users <no-reply@users.example.com>';

/** Started before the file's tests with `extra` settings, stopped after them; read its parts inside a test. */
export function withEmailingServer(extra: Record<string, string> = {}) {
  let standIn: ListeningStandIn | undefined;
  let server: StandaloneServer | undefined;
  const output: string[] = [];
  beforeAll(async () => {
    standIn = await listenResendStandIn();
    server = await startStandaloneServer(
      {
        databaseUrl: inject('localDbUrl'),
        fetchEndpoint: inject('localDbEndpoint'),
        extra: {
          RESEND_API_KEY: STAND_IN_API_KEY,
          EMAIL_FROM: STAND_IN_SENDER,
          RESEND_BASE_URL: standIn.url,
          ...extra,
        },
      },
      { output },
    );
  });
  afterAll(async () => {
    server?.stop();
    await standIn?.stop();
  });
  const started = <T>(part: T | undefined): T => {
    if (!part) throw new Error('The emailing server starts before the tests: use it inside one.');
    return part;
  };
  return {
    get standIn(): ListeningStandIn {
      return started(standIn);
    },
    get server(): StandaloneServer {
      return started(server);
    },
    /** Everything the server has logged so far. */
    logs: () => output.join(''),
  };
}
