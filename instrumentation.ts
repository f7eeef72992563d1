// Runs once when a server starts: a missing or weak setting stops it here, with one clear message,
// rather than failing the first request. (Edge isolates validate on first use; see src/env.ts.)
export async function register(): Promise<void> {
  if (process.env.NEXT_RUNTIME !== 'nodejs') return;
  const { env } = await import('./src/env.ts');
  try {
    env();
  } catch (error) {
    console.error((error as Error).message);
    process.exit(1);
  }
}
