// One linter for the whole tree: Next.js's rules (React, accessibility, Core Web Vitals) and TypeScript's.
import nextVitals from 'eslint-config-next/core-web-vitals';
import nextTypeScript from 'eslint-config-next/typescript';

const config = [
  ...nextVitals,
  ...nextTypeScript,
  { ignores: ['.next/**', 'src/generated/**', 'node_modules/**', 'next-env.d.ts', '.data/**'] },
];

export default config;
