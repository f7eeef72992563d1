// The CDK app (`npm run synth:aws`, `cdk deploy` from scripts/aws): one stack in us-east-1 with no account
// named, so `cdk synth` needs no credentials, lookups or network. Context (`-c name=value`): openNextDir,
// parameterPrefix, domainName + certificateArn, stackName.
import { resolve } from 'node:path';
import { App } from 'aws-cdk-lib';
import { EdgeUsersApiStack, STACK_REGION } from './stack.ts';

const app = new App();
const context = (name: string): string | undefined => {
  const value: unknown = app.node.tryGetContext(name);
  return typeof value === 'string' && value !== '' ? value : undefined;
};

new EdgeUsersApiStack(app, context('stackName') ?? 'EdgeUsersApi', {
  env: { region: STACK_REGION },
  openNextDir: resolve(context('openNextDir') ?? '../../.open-next'),
  parameterPrefix: context('parameterPrefix') ?? '/edge-users-api',
  domainName: context('domainName'),
  certificateArn: context('certificateArn'),
});
