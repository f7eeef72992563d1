// One linter for the whole tree: Next.js's rules (React, accessibility, Core Web Vitals) and TypeScript's,
// and the import boundaries between what the app runs and the tools around it (test/unit/lint proves them).
import nextVitals from 'eslint-config-next/core-web-vitals';
import nextTypeScript from 'eslint-config-next/typescript';

// Two Prisma clients are generated (edge and Node.js); `#prisma/client` picks the one the runtime loads.
// Mixing them breaks at run time: one client's Prisma.sql is a plain parameter to the other.
const generatedClient = {
  group: ['@/src/generated/prisma*', '**/generated/prisma*'],
  message: "Import from '#prisma/client', which resolves to the client of the runtime that runs the code.",
};

// The app: what Next.js builds into edge functions (routes, middleware) or runs beside them (pages, the
// Node.js half of instrumentation.ts, which loads src/startup.ts only when NEXT_RUNTIME is 'nodejs').
const APP = ['app/**', 'src/**', 'middleware.ts', 'instrumentation.ts'];

const config = [
  ...nextVitals,
  ...nextTypeScript,
  // What the build commands write (npm run build, build:aws, build:vercel) and the local database: not sources.
  {
    ignores: [
      '.next/**',
      '.open-next/**',
      '.vercel/**',
      'src/generated/**',
      'node_modules/**',
      'next-env.d.ts',
      '.data/**',
      'cdk.out/**',
      'scripts/aws/node_modules/**',
    ],
  },
  {
    files: APP,
    rules: {
      'no-restricted-imports': ['error', { patterns: [generatedClient] }],
      // Edge functions have no Node.js built-ins: an import of one (`node:fs`, `fs`, static or dynamic) fails here,
      // rather than in `next build` or, worse, only in the function that reaches it.
      'import/no-nodejs-modules': 'error',
      'import/no-restricted-paths': [
        'error',
        {
          zones: [
            {
              target: APP.map((glob) => `./${glob}`),
              from: ['./scripts', './test'],
              message: 'The app never imports the tools in scripts/ or the tests: code both need belongs in src/.',
            },
          ],
        },
      ],
    },
  },
  {
    // Node.js server start-up only, loaded by instrumentation.ts's Node.js branch.
    files: ['src/startup.ts'],
    rules: { 'import/no-nodejs-modules': 'off' },
  },
  {
    // HTTP plumbing (problems, bodies, pagination) stays free of tokens and of the database, so any route,
    // public or not, can use it without carrying jose or Prisma into its function.
    files: ['src/http/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [
            { name: 'jose', message: "Tokens are src/auth's concern; src/http does not import jose." },
            { name: '#prisma/client', message: 'src/http does not import the database client.' },
          ],
          patterns: [
            generatedClient,
            { group: ['jose/*'], message: "Tokens are src/auth's concern; src/http does not import jose." },
            {
              group: ['@prisma/*', '@neondatabase/*', '**/db/client*'],
              message: 'src/http does not import the database client.',
            },
          ],
        },
      ],
    },
  },
];

export default config;
