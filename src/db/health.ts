// The database ping behind /api/health: any failure to answer is an outage, whatever its cause.
import { db } from './client.ts';
import { serviceUnavailable } from '@/src/http/errors.ts';

export async function pingDatabase(): Promise<void> {
  try {
    await db().$queryRaw`SELECT 1`;
  } catch (error) {
    throw serviceUnavailable(error, 'The database cannot be reached.');
  }
}
