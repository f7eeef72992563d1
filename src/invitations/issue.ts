// Issuing one-time links: a new token (only its SHA-256 is stored, as for refresh tokens), its absolute URL on
// this site, and the message to the person it is for. Who may issue one is decided in the database statement.
import { base64url } from 'jose';
import { reservePasswordReset } from '@/src/auth/rate-limits.ts';
import { hashSecret } from '@/src/auth/refresh-token.ts';
import type { Identity } from '@/src/auth/tokens.ts';
import { env } from '@/src/env.ts';
import { afterResponse } from '@/src/http/after-response.ts';
import { logFailure, requestId } from '@/src/http/errors.ts';
import { publicUrl } from '@/src/http/public-url.ts';
import {
  createUserOrThrowAs,
  replaceInvitationForEmail,
  replaceInvitationOrThrowAs,
  type NewInvitation,
} from '@/src/users/queries.ts';
import { toPublicUser, type CreateUser, type PublicUser } from '@/src/users/schema.ts';
import { sendInvitation } from './delivery.ts';
import { PASSWORD_RESET_ACCEPTED, type InvitationLink, type PasswordReset } from './schema.ts';

const TOKEN_BYTES = 32;

async function mintInvitation(): Promise<NewInvitation & { token: string }> {
  const token = base64url.encode(crypto.getRandomValues(new Uint8Array(TOKEN_BYTES)));
  return { token, tokenHash: await hashSecret(token), ttlSeconds: env().INVITE_TTL_SECONDS };
}

/** The link, built on the URL the admin's request reached us by, as every public link is. */
export const invitationUrl = (req: Request, token: string) => new URL(`/invite/${token}`, publicUrl(req)).href;

/** Emails the link (`sendInvitation`); a failure there is logged under the request id and undoes nothing. */
async function deliver(
  req: Request,
  link: InvitationLink,
  { name, email }: { name: string; email: string },
): Promise<InvitationLink> {
  await sendInvitation({ ...link, name, email }).catch((error: unknown) =>
    logFailure(req, requestId(req), 'emailing the link failed', error),
  );
  return link;
}

/** POST /api/users and the users page: the new user, and their invitation link. */
export async function createUserWithInvitationOrThrowAs(
  caller: Identity,
  data: CreateUser,
  req: Request,
): Promise<{ user: PublicUser; invitation: InvitationLink }> {
  const { token, ...invitation } = await mintInvitation();
  const { invitationExpiresAt, ...created } = await createUserOrThrowAs(caller, data, invitation);
  const link = { url: invitationUrl(req, token), purpose: 'invitation' as const, expiresAt: invitationExpiresAt };
  return { user: toPublicUser(created), invitation: await deliver(req, toLink(link), created) };
}

/** POST /api/users/:id/invitation and the users page: a new link for a user, replacing any earlier one. */
export async function issueInvitationOrThrowAs(caller: Identity, id: number, req: Request): Promise<InvitationLink> {
  const { token, ...invitation } = await mintInvitation();
  const issued = await replaceInvitationOrThrowAs(caller, id, invitation);
  return deliver(
    req,
    toLink({ url: invitationUrl(req, token), purpose: issued.purpose, expiresAt: issued.expiresAt }),
    issued,
  );
}

/**
 * POST /api/auth/password-reset and the /forgot page: a new one-time link for whoever has this email, emailed
 * after the answer is sent. Throttled per email and address. The same work is done, and the same answer given,
 * whether or not anyone has the email: a token is minted and one statement run either way, and the only step
 * that differs, the email, happens after the response.
 */
export async function requestPasswordReset({ email }: PasswordReset, req: Request) {
  await reservePasswordReset(req, email);
  const { token, ...invitation } = await mintInvitation();
  const issued = await replaceInvitationForEmail(email, invitation);
  if (issued) {
    const link = toLink({ url: invitationUrl(req, token), purpose: issued.purpose, expiresAt: issued.expiresAt });
    afterResponse(async () => {
      await deliver(req, link, issued);
    });
  }
  return PASSWORD_RESET_ACCEPTED;
}

function toLink({ url, purpose, expiresAt }: Omit<InvitationLink, 'expiresAt'> & { expiresAt: Date }): InvitationLink {
  return { url, purpose, expiresAt: expiresAt.toISOString() };
}
