// The default sendInvitation: one log line with the link in development, without it in production.
import { afterEach, describe, expect, it, vi } from 'vitest';

const message = {
  name: 'Ada Lovelace',
  email: 'ada@example.com',
  url: 'http://localhost:3000/invite/secret-token',
  purpose: 'invitation' as const,
  expiresAt: '2026-12-03T06:00:00.000Z',
};

async function logged(nodeEnv: string, purpose: 'invitation' | 'password_reset' = 'invitation') {
  vi.stubEnv('NODE_ENV', nodeEnv);
  vi.stubEnv('DATABASE_URL', 'postgresql://app:secret@db.example:5432/app');
  vi.stubEnv('JWT_SECRET', 'x'.repeat(32));
  vi.stubEnv('PASSWORD_ITERATIONS', '600000');
  vi.stubEnv('PUBLIC_ORIGIN', 'http://localhost:3000');
  vi.resetModules();
  vi.restoreAllMocks();
  const info = vi.spyOn(console, 'info').mockImplementation(() => {});
  const { sendInvitation } = await import('@/src/invitations/delivery.ts');
  await sendInvitation({ ...message, purpose });
  return info.mock.calls.map((call) => call.join(' '));
}

afterEach(() => {
  vi.restoreAllMocks();
  vi.unstubAllEnvs();
  vi.resetModules();
});

describe('sendInvitation (no email provider)', () => {
  it('logs the link in one line in development', async () => {
    expect(await logged('development')).toEqual([
      'Invitation for Ada Lovelace <ada@example.com>, until 2026-12-03T06:00:00.000Z: http://localhost:3000/invite/secret-token',
    ]);
    expect(await logged('development', 'password_reset')).toEqual([
      expect.stringMatching(
        /^Password-reset link for Ada Lovelace <ada@example\.com>, until .*: http:\/\/localhost:3000\/invite\/secret-token$/,
      ),
    ]);
  });

  it('never logs the link itself in production', async () => {
    const lines = await logged('production');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^Invitation for Ada Lovelace <ada@example\.com>/);
    expect(lines[0]).not.toContain('secret-token');
  });
});
