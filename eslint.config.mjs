// One linter for the whole tree: Next.js's rules (React, accessibility, Core Web Vitals) and TypeScript's.
import nextVitals from 'eslint-config-next/core-web-vitals';
import nextTypeScript from 'eslint-config-next/typescript';

const config = [
  ...nextVitals,
  ...nextTypeScript,
  { ignores: ['.next/**', 'src/generated/**', 'node_modules/**', 'next-env.d.ts', '.data/**'] },
  {
    // Two Prisma clients are generated (edge and Node.js); `#prisma/client` picks the one the runtime loads.
    // Mixing them breaks at run time: one client's Prisma.sql is a plain parameter to the other.
    files: ['app/**', 'src/**', 'middleware.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['@/src/generated/*', '**/generated/prisma*'],
              message: "Import from '#prisma/client', which resolves to the client of the runtime that runs the code.",
            },
          ],
        },
      ],
    },
  },
];

export default config;
