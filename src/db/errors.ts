// Recognises the database errors a request can cause. By shape, not class: importing Prisma's
// error classes would pull its runtime into edge functions that never touch the database.

interface PrismaLikeError extends Error {
  code?: string;
}

export function isPrismaError(error: unknown): error is PrismaLikeError {
  return error instanceof Error && error.name.startsWith('PrismaClient');
}

/**
 * A unique constraint was violated. PrismaNeonHttp passes Postgres errors through unconverted,
 * so this arrives as SQLSTATE 23505 rather than Prisma's P2002, which other adapters produce.
 */
export function isUniqueViolation(error: unknown): boolean {
  return isPrismaError(error) && (error.code === 'P2002' || error.code === '23505');
}

/** An update or delete found no row to act on (Prisma's P2025). */
export function isRecordNotFound(error: unknown): boolean {
  return isPrismaError(error) && error.code === 'P2025';
}

/** The database could not be reached, or did not answer in time: an outage, not a bug. */
export function isUnavailable(error: unknown): boolean {
  for (let cause = error; cause instanceof Error; cause = cause.cause) {
    if (cause.name === 'TimeoutError' || cause.name === 'AbortError') return true;
    if (cause.name === 'PrismaClientInitializationError') return true;
    if (/fetch failed|Error connecting to database|ECONNREFUSED|ECONNRESET|socket hang up/i.test(cause.message)) {
      return true;
    }
  }
  return false;
}
