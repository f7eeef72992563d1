// Where a user stands with signing in, as the admin page shows it: a password set, or a link still to be used.
export type SignInState = 'active' | 'invited' | 'link_expired';

/** Active once a password is set; before that, invited while their link works, and then "link expired". */
export function signInState(
  user: { hasPassword: boolean; linkExpiresAt: Date | null },
  now: Date = new Date(),
): SignInState {
  if (user.hasPassword) return 'active';
  return user.linkExpiresAt !== null && user.linkExpiresAt > now ? 'invited' : 'link_expired';
}
