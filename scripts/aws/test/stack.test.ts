// The synthesized template (aws-cdk-lib/assertions), from a stand-in OpenNext output: every resource the deploy
// needs, the runtime, the behaviours and their caching, the edge gate as viewer request, the settings the app
// reads, and no secret anywhere in what `cdk deploy` would upload.
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Template as TemplateType } from 'aws-cdk-lib/assertions';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/** Without scripts/aws's own dependencies these tests are skipped with a notice; in CI that is an error. */
function cdkInstalled(): boolean {
  if (existsSync(new URL('../node_modules/aws-cdk-lib/package.json', import.meta.url))) return true;
  const notice = 'No AWS CDK in scripts/aws/node_modules: run `npm run aws:install`.';
  if (process.env.CI === 'true') throw new Error(notice);
  console.warn(`Skipping the AWS stack tests. ${notice}`);
  return false;
}

const installed = cdkInstalled();
const { App } = installed ? await import('aws-cdk-lib') : ({} as typeof import('aws-cdk-lib'));
const { Match, Template } = installed
  ? await import('aws-cdk-lib/assertions')
  : ({} as typeof import('aws-cdk-lib/assertions'));
const { EdgeUsersApiStack, IMMUTABLE, PUBLIC_FILE, STACK_REGION, parameterNames } = installed
  ? await import('../stack.ts')
  : ({} as typeof import('../stack.ts'));

/** Values the deployer's shell might hold; none of them may reach the template or an asset. */
const SENTINELS = {
  JWT_SECRET: 'sentinel-jwt-secret-0123456789abcdef0123456789',
  DATABASE_URL: 'postgresql://owner:sentinel-db-password@ep-sentinel.neon.tech/app',
  ORIGIN_SECRET: 'sentinel-origin-secret-fedcba9876543210',
};

/** A stand-in for `.open-next/`: the files the stack reads, each with the handler name it expects. */
function openNextStandIn(root: string): string {
  const dir = join(root, '.open-next');
  const files: Record<string, string> = {
    'assets/_next/static/chunks/app.js': 'console.log(1)',
    'assets/_next/static/media/font.woff2': 'font',
    'assets/favicon.ico': 'icon',
    'assets/robots.txt': 'User-agent: *',
    'server-functions/default/index.mjs': 'export const handler = async () => ({ statusCode: 200 });',
    'middleware/handler.mjs': 'export const handler = async (event) => event.Records[0].cf.request;',
  };
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(join(dir, path, '..'), { recursive: true });
    writeFileSync(join(dir, path), content);
  }
  return dir;
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .map((name) => join(dir, name))
    .filter((path) => statSync(path).isFile());
}

describe.runIf(installed)('the AWS stack (cdk synth)', () => {
  let root: string;
  let outdir: string;
  let template: TemplateType;
  let json: string;
  const saved = { ...process.env };

  beforeAll(() => {
    root = mkdtempSync(join(tmpdir(), 'aws-stack-'));
    outdir = join(root, 'cdk.out');
    Object.assign(process.env, SENTINELS);
    const app = new App({ outdir });
    const stack = new EdgeUsersApiStack(app, 'EdgeUsersApi', {
      env: { region: STACK_REGION },
      openNextDir: openNextStandIn(root),
      parameterPrefix: '/edge-users-api',
    });
    template = Template.fromStack(stack);
    json = JSON.stringify(template.toJSON());
    app.synth();
  }, 120_000);

  afterAll(() => {
    process.env = saved;
    rmSync(root, { recursive: true, force: true });
  });

  it('names no account, so synth needs no credentials or lookups', () => {
    expect(json).not.toMatch(/\b\d{12}\b/);
    const manifest = JSON.parse(readFileSync(join(outdir, 'manifest.json'), 'utf8')) as {
      artifacts: Record<string, { environment?: string }>;
    };
    expect(manifest.artifacts.EdgeUsersApi?.environment).toBe('aws://unknown-account/us-east-1');
    expect(readdirSync(outdir).some((name) => name.endsWith('.template.json'))).toBe(true);
  });

  it('runs the server function on Node.js 24 behind a Function URL, with PUBLIC_ORIGIN and TRUST_PROXY', () => {
    template.hasResourceProperties('AWS::Lambda::Function', {
      Handler: 'server.handler',
      Runtime: 'nodejs24.x',
      Environment: {
        Variables: Match.objectLike({
          NODE_ENV: 'production',
          TRUST_PROXY: 'true',
          EDGE_USERS_API_SETTINGS: JSON.stringify({
            parameters: {
              JWT_SECRET: '/edge-users-api/jwt-secret',
              DATABASE_URL: '/edge-users-api/database-url',
              ORIGIN_SECRET: '/edge-users-api/origin-secret',
              PUBLIC_ORIGIN: '/edge-users-api/public-origin',
            },
          }),
        }),
      },
    });
    template.hasResourceProperties('AWS::Lambda::Url', { AuthType: 'NONE', InvokeMode: 'BUFFERED' });
    // Without a custom domain the public origin is the distribution's domain, written where both functions read it.
    template.hasResourceProperties('AWS::SSM::Parameter', {
      Name: '/edge-users-api/public-origin',
      Type: 'String',
      Value: { 'Fn::Join': ['', ['https://', { 'Fn::GetAtt': [Match.anyValue(), 'DomainName'] }]] },
    });
  });

  it('deletes expired data daily: a scheduled rule invokes the server function, retrying a failure', () => {
    const [serverId] = Object.keys(
      template.findResources('AWS::Lambda::Function', { Properties: { Handler: 'server.handler' } }),
    );
    template.hasResourceProperties('AWS::Events::Rule', {
      ScheduleExpression: 'cron(17 4 * * ? *)',
      State: 'ENABLED',
      Targets: [
        Match.objectLike({ Arn: { 'Fn::GetAtt': [serverId, 'Arn'] }, RetryPolicy: { MaximumRetryAttempts: 2 } }),
      ],
    });
    template.hasResourceProperties('AWS::Lambda::Permission', {
      Action: 'lambda:InvokeFunction',
      Principal: 'events.amazonaws.com',
      FunctionName: { 'Fn::GetAtt': [serverId, 'Arn'] },
    });
  });

  it('lets each function read only its own SSM parameters', () => {
    const policies = template.findResources('AWS::IAM::Policy');
    const ssmResources = Object.values(policies).flatMap((policy) =>
      (policy.Properties.PolicyDocument.Statement as { Action: string | string[]; Resource: unknown }[])
        .filter((statement) => statement.Action === 'ssm:GetParameters')
        .map((statement) => JSON.stringify(statement.Resource)),
    );
    expect(ssmResources).toHaveLength(2);
    const [server, gate] = ssmResources.sort((a, b) => b.length - a.length);
    for (const name of ['jwt-secret', 'database-url', 'origin-secret', 'public-origin']) expect(server).toContain(name);
    expect(gate).toContain('jwt-secret');
    expect(gate).not.toContain('database-url');
    expect(gate).not.toContain('origin-secret');
  });

  it('deploys middleware.ts as a Lambda@Edge viewer-request function on Node.js 24, without environment', () => {
    const gates = template.findResources('AWS::Lambda::Function', { Properties: { Handler: 'gate.handler' } });
    const [gate] = Object.values(gates);
    expect(gate?.Properties).toMatchObject({ Runtime: 'nodejs24.x', MemorySize: 128, Timeout: 5 });
    expect(gate?.Properties.Environment).toBeUndefined();
    template.hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Principal: { Service: 'edgelambda.amazonaws.com' }, Action: 'sts:AssumeRole' }),
        ]),
      },
    });
    template.hasResourceProperties('AWS::CloudFront::Distribution', {
      DistributionConfig: Match.objectLike({
        DefaultCacheBehavior: Match.objectLike({
          LambdaFunctionAssociations: [{ EventType: 'viewer-request', LambdaFunctionARN: Match.anyValue() }],
        }),
      }),
    });
  });

  it('serves /_next/static/* and the public files from S3 (OAC), with no edge function, cached', () => {
    const config = Object.values(template.findResources('AWS::CloudFront::Distribution'))[0]?.Properties
      .DistributionConfig as {
      CacheBehaviors: {
        PathPattern: string;
        LambdaFunctionAssociations?: unknown;
        CachePolicyId: string;
        TargetOriginId: string;
      }[];
      Origins: { Id: string; S3OriginConfig?: unknown; OriginAccessControlId?: unknown; DomainName: unknown }[];
    };
    const patterns = config.CacheBehaviors.map((behavior) => behavior.PathPattern).sort();
    expect(patterns).toEqual(['_next/static/*', 'favicon.ico', 'robots.txt']);
    const s3 = config.Origins.find((origin) => origin.S3OriginConfig);
    expect(s3?.OriginAccessControlId).toBeDefined();
    for (const behavior of config.CacheBehaviors) {
      expect(behavior.TargetOriginId).toBe(s3?.Id);
      expect(behavior.LambdaFunctionAssociations).toBeUndefined();
      // The managed CachingOptimized policy.
      expect(behavior.CachePolicyId).toBe('658327ea-f89d-4fab-a63d-7e88639e58f6');
    }
    template.hasResourceProperties('Custom::CDKBucketDeployment', {
      DestinationBucketKeyPrefix: '_next',
      SystemMetadata: { 'cache-control': IMMUTABLE },
    });
    template.hasResourceProperties('Custom::CDKBucketDeployment', { SystemMetadata: { 'cache-control': PUBLIC_FILE } });
    template.hasResourceProperties('AWS::S3::Bucket', {
      PublicAccessBlockConfiguration: {
        BlockPublicAcls: true,
        BlockPublicPolicy: true,
        IgnorePublicAcls: true,
        RestrictPublicBuckets: true,
      },
    });
  });

  it('sends the rest to the Function URL with the origin secret, caching nothing and passing no client host', () => {
    template.hasResourceProperties('AWS::CloudFront::Distribution', {
      DistributionConfig: Match.objectLike({
        DefaultCacheBehavior: Match.objectLike({
          ViewerProtocolPolicy: 'redirect-to-https',
          AllowedMethods: ['GET', 'HEAD', 'OPTIONS', 'PUT', 'PATCH', 'POST', 'DELETE'],
        }),
        Origins: Match.arrayWith([
          Match.objectLike({
            CustomOriginConfig: Match.objectLike({ OriginProtocolPolicy: 'https-only' }),
            OriginCustomHeaders: [
              { HeaderName: 'x-origin-secret', HeaderValue: { Ref: Match.stringLikeRegexp('originsecret') } },
            ],
          }),
        ]),
      }),
    });
    template.hasResourceProperties('AWS::CloudFront::CachePolicy', {
      CachePolicyConfig: Match.objectLike({
        DefaultTTL: 0,
        MinTTL: 0,
        MaxTTL: 1,
        ParametersInCacheKeyAndForwardedToOrigin: Match.objectLike({
          HeadersConfig: { HeaderBehavior: 'whitelist', Headers: ['authorization'] },
          CookiesConfig: { CookieBehavior: 'all' },
          QueryStringsConfig: { QueryStringBehavior: 'all' },
        }),
      }),
    });
    template.hasResourceProperties('AWS::CloudFront::OriginRequestPolicy', {
      OriginRequestPolicyConfig: Match.objectLike({
        HeadersConfig: { HeaderBehavior: 'allExcept', Headers: ['host', 'x-forwarded-host', 'forwarded'] },
      }),
    });
    // The origin secret is a parameter CloudFormation resolves from SSM at deploy time, not a value.
    expect(template.toJSON().Parameters).toMatchObject({
      [Object.keys(template.findParameters('*', { Default: '/edge-users-api/origin-secret' }))[0]!]: {
        Type: 'AWS::SSM::Parameter::Value<String>',
      },
    });
  });

  it('writes the edge gate’s settings into its bundle: parameter names and plain values, no secret', () => {
    const settings = filesUnder(outdir).filter((path) => path.endsWith('settings.json'));
    expect(settings).toHaveLength(1);
    expect(JSON.parse(readFileSync(settings[0]!, 'utf8'))).toEqual({
      environment: {
        NODE_ENV: 'production',
        TRUST_PROXY: 'true',
        DATABASE_URL: 'postgresql://unused:unused@database.invalid/edge-gate-has-no-database',
      },
      parameters: { JWT_SECRET: '/edge-users-api/jwt-secret', PUBLIC_ORIGIN: '/edge-users-api/public-origin' },
      region: 'us-east-1',
    });
    const bundle = join(settings[0]!, '..');
    expect(readdirSync(bundle).sort()).toEqual(['gate.mjs', 'handler.mjs', 'settings.json', 'settings.mjs']);
  });

  it('puts no secret value in the template or any asset, whatever the deployer’s shell holds', () => {
    for (const path of filesUnder(outdir)) {
      const content = readFileSync(path, 'latin1');
      for (const [name, value] of Object.entries(SENTINELS)) expect(content, `${name} in ${path}`).not.toContain(value);
    }
    expect(json).not.toMatch(/postgres(ql)?:\/\/[^"]*:[^"]*@/);
  });

  it('sets PUBLIC_ORIGIN in both functions from a custom domain when one is given', () => {
    const app = new App({ outdir: join(root, 'custom.out') });
    const stack = new EdgeUsersApiStack(app, 'Custom', {
      env: { region: STACK_REGION },
      openNextDir: join(root, '.open-next'),
      parameterPrefix: '/shop-api',
      domainName: 'api.example.com',
      certificateArn: 'arn:aws:acm:us-east-1:111111111111:certificate/00000000-0000-0000-0000-000000000000',
    });
    const custom = Template.fromStack(stack);
    custom.hasResourceProperties('AWS::Lambda::Function', {
      Handler: 'server.handler',
      Environment: { Variables: Match.objectLike({ PUBLIC_ORIGIN: 'https://api.example.com', TRUST_PROXY: 'true' }) },
    });
    custom.hasResourceProperties('AWS::CloudFront::Distribution', {
      DistributionConfig: Match.objectLike({ Aliases: ['api.example.com'] }),
    });
    custom.resourceCountIs('AWS::SSM::Parameter', 0);
    app.synth();
    const [settings] = filesUnder(join(root, 'custom.out')).filter((path) => path.endsWith('settings.json'));
    expect(JSON.parse(readFileSync(settings!, 'utf8'))).toMatchObject({
      environment: { PUBLIC_ORIGIN: 'https://api.example.com' },
      parameters: { JWT_SECRET: parameterNames('/shop-api').JWT_SECRET },
    });
  });
});
