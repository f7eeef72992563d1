// Unzipped size of a build output folder, as a platform counts it: every file once, links not followed.
import { lstatSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

export interface FolderSize {
  bytes: number;
  files: number;
}

export function folderSize(folder: string): FolderSize {
  const total: FolderSize = { bytes: 0, files: 0 };
  for (const entry of readdirSync(folder, { withFileTypes: true, recursive: true })) {
    if (!entry.isFile()) continue;
    total.bytes += lstatSync(join(entry.parentPath, entry.name)).size;
    total.files += 1;
  }
  return total;
}

export function megabytes(bytes: number): string {
  return `${(bytes / 1e6).toFixed(1)} MB`;
}
