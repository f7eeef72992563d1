// `npm run typecheck`'s second half: the AWS CDK app (scripts/aws), which has its own dependencies and tsconfig.
// Without them installed it is skipped with a notice naming the command that installs them; in CI, that is an error.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

if (!existsSync('scripts/aws/node_modules/aws-cdk-lib')) {
  const notice = 'No AWS CDK app dependencies in scripts/aws: run `npm run aws:install` to typecheck it.';
  if (process.env.CI === 'true') throw new Error(notice);
  console.warn(`Skipping scripts/aws. ${notice}`);
} else {
  const { status } = spawnSync('node_modules/.bin/tsc', ['--noEmit', '-p', 'scripts/aws'], { stdio: 'inherit' });
  process.exitCode = status ?? 1;
}
