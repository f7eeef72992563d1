// Version floors for the dependencies whose older releases have known security fixes: the
// middleware authorization bypasses (CVE-2025-29927 and later) and the React Server Components fixes.
import { describe, expect, it } from 'vitest';
import lock from '@/package-lock.json';

const FLOORS = { next: '16.3.8', react: '19.2.8', 'react-dom': '19.2.8' } as const;

function compare(a: string, b: string): number {
  const [x, y] = [a, b].map((version) => version.split('-', 1)[0]!.split('.').map(Number));
  for (let i = 0; i < 3; i++) if (x![i] !== y![i]) return x![i]! - y![i]!;
  return 0;
}

describe('locked dependency versions', () => {
  const packages = lock.packages as Record<string, { version?: string }>;

  it.each(Object.entries(FLOORS))('locks %s at %s or later', (name, floor) => {
    const version = packages[`node_modules/${name}`]?.version;
    expect(version).toBeDefined();
    expect(compare(version!, floor)).toBeGreaterThanOrEqual(0);
  });

  it('compares versions numerically', () => {
    expect(compare('16.10.0', '16.3.8')).toBeGreaterThan(0);
    expect(compare('16.3.7', '16.3.8')).toBeLessThan(0);
  });
});
