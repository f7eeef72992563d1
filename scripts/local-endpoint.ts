// Whether the local endpoint (npm run dev / npm run db) is running: it then holds the PGlite folder open,
// and PGlite does not lock its folder, so a second process opening it could damage it.
export async function localEndpointRunning(port: number): Promise<boolean> {
  if (port === 0) return false;
  try {
    return (await fetch(`http://127.0.0.1:${port}/_info`, { signal: AbortSignal.timeout(1000) })).ok;
  } catch {
    return false;
  }
}
