// Prisma CLI settings: schema, migrations, and the direct (unpooled) URL migrations use.
import { defineConfig } from 'prisma/config';

export default defineConfig({
  schema: 'prisma/schema.prisma',
  migrations: { path: 'prisma/migrations' },
  datasource: {
    url: process.env.DATABASE_URL_UNPOOLED ?? process.env.DATABASE_URL ?? 'postgresql://localhost:5432/postgres',
    // `prisma migrate dev` on the embedded database (npm run db:postgres) needs a separate shadow database.
    shadowDatabaseUrl: process.env.SHADOW_DATABASE_URL,
  },
});
