// Next.js settings: a self-contained server for containers, and no framework fingerprint.
import type { NextConfig } from 'next';

const config: NextConfig = {
  output: 'standalone',
  poweredByHeader: false,
};

export default config;
