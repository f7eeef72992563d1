// The sign-out button every signed-in page shows, even one that could not load its data.
import { logOutAction } from './login/actions.ts';

export function SignOutButton() {
  return (
    <form action={logOutAction}>
      <button type="submit" className="button-secondary">
        Sign out
      </button>
    </form>
  );
}
