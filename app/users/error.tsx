'use client';
// Shown when /users cannot render, e.g. while the database is unreachable (the API answers 503 then).
export default function UsersError({ reset }: { error: Error & { digest?: string }; reset: () => void }) {
  return (
    <main className="page">
      <h1>Users</h1>
      <p className="form-error" role="alert">
        The users could not be loaded. The database may be unavailable; try again shortly.
      </p>
      <button type="button" onClick={reset}>
        Try again
      </button>
    </main>
  );
}
