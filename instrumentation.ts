// Runs once when a server starts: a missing or weak setting stops it here, with one clear message,
// rather than failing the first request (edge isolates validate on first use; see src/env.ts); and TRACE and
// `OPTIONS *`, which Next.js cannot serve, are answered before they reach it; every other request is stamped with
// its socket's address, for the attempt limits.
export async function register(): Promise<void> {
  // A literal check Next.js inlines, so the edge build drops the Node-only import.
  if (process.env.NEXT_RUNTIME === 'nodejs') {
    const { checkSettingsOrExit, refuseUnservableRequests } = await import('./src/startup.ts');
    checkSettingsOrExit();
    refuseUnservableRequests();
  }
}
