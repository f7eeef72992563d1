// Node.js server start: validates the settings once and stops the process with one clear message.
import { env } from './env.ts';

export function checkSettingsOrExit(): void {
  try {
    env();
  } catch (error) {
    console.error((error as Error).message);
    process.exit(1);
  }
}
