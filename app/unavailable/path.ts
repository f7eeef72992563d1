// The outage notice's address, shared by the pages that send people there and the middleware that marks it 503.

export const UNAVAILABLE_PATH = '/unavailable';

/** The notice, remembering the same-site path to return to once the database answers again. */
export function unavailablePath(next: string): string {
  return `${UNAVAILABLE_PATH}?${new URLSearchParams({ next })}`;
}
