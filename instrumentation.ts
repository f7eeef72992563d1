// Runs once when a server starts: a missing or weak setting stops it here, with one clear message,
// rather than failing the first request. (Edge isolates validate on first use; see src/env.ts.)
export async function register(): Promise<void> {
  // A literal check Next.js inlines, so the edge build drops the Node-only import.
  if (process.env.NEXT_RUNTIME === 'nodejs') {
    const { checkSettingsOrExit } = await import('./src/startup.ts');
    checkSettingsOrExit();
  }
}
