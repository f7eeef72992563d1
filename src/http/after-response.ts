// Work that must not hold up a response: sending an email, for one, whose time would otherwise show in the answer.
// `next/server` re-exports this with NextResponse, userAgent and ImageResponse: about 12 KiB gzipped more per edge
// function that imports it from there.
import { after } from 'next/dist/server/after';

/**
 * Runs `task` once the response has been sent (Next.js's `after`: the platform's `waitUntil` keeps the function
 * alive until it ends). Outside a request Next.js serves (a handler called directly), it starts at once.
 * `task` must handle its own failures.
 */
export function afterResponse(task: () => Promise<void>): void {
  try {
    after(task);
  } catch {
    void task();
  }
}
