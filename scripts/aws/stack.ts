// The AWS stack for what `npm run build:aws` makes (.open-next/): CloudFront in front of an S3 bucket (the
// static files) and the server function (a Lambda Function URL), with middleware.ts as a Lambda@Edge
// viewer-request gate. No secret is in the template: the functions read them from SSM Parameter Store when an
// instance starts (runtime/settings.mjs), and CloudFront's origin secret is a dynamic reference resolved at deploy.
import { cpSync, existsSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { AssetHashType, CfnOutput, DockerImage, Duration, RemovalPolicy, Stack, type StackProps } from 'aws-cdk-lib';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as origins from 'aws-cdk-lib/aws-cloudfront-origins';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as s3deploy from 'aws-cdk-lib/aws-s3-deployment';
import * as ssm from 'aws-cdk-lib/aws-ssm';
import type { Construct } from 'constructs';

/** Lambda@Edge functions are created in us-east-1; the whole stack lives there so it needs no cross-region stack. */
export const STACK_REGION = 'us-east-1';
/** The runtime of both functions. */
export const NODE_RUNTIME = lambda.Runtime.NODEJS_24_X;
/** What a long-lived, content-hashed file may be cached for: a year, never revalidated. */
export const IMMUTABLE = 'public, max-age=31536000, immutable';
/** The other public files keep their names across deploys: cached a day at the edge, revalidated by browsers. */
export const PUBLIC_FILE = 'public, max-age=0, s-maxage=86400, must-revalidate';

const RUNTIME_DIR = fileURLToPath(new URL('./runtime/', import.meta.url));

export interface EdgeUsersApiProps extends StackProps {
  /** The OpenNext output folder (`.open-next` of the project). */
  openNextDir: string;
  /** The prefix of the SSM parameters the functions read (`/edge-users-api` → `/edge-users-api/jwt-secret`, …). */
  parameterPrefix: string;
  /** A custom domain (`api.example.com`) with its us-east-1 certificate; without one, the CloudFront domain. */
  domainName?: string;
  certificateArn?: string;
}

/** SSM parameter names under `prefix`; see the README for creating them before the first deploy. */
export function parameterNames(prefix: string) {
  return {
    JWT_SECRET: `${prefix}/jwt-secret`,
    DATABASE_URL: `${prefix}/database-url`,
    ORIGIN_SECRET: `${prefix}/origin-secret`,
    PUBLIC_ORIGIN: `${prefix}/public-origin`,
  };
}

/** A code asset made at synth time from `source` plus files written beside it, without Docker. */
function stagedCode(source: string, extra: (outputDir: string) => void): lambda.Code {
  return lambda.Code.fromAsset(source, {
    assetHashType: AssetHashType.OUTPUT,
    bundling: {
      // Required by the type; never used, since local bundling always succeeds.
      image: DockerImage.fromRegistry('local-bundling-only'),
      local: {
        tryBundle(outputDir) {
          cpSync(source, outputDir, { recursive: true, verbatimSymlinks: true });
          extra(outputDir);
          return true;
        },
      },
    },
  });
}

function copyRuntime(outputDir: string, files: string[]) {
  for (const file of ['settings.mjs', ...files]) cpSync(join(RUNTIME_DIR, file), join(outputDir, file));
}

export class EdgeUsersApiStack extends Stack {
  constructor(scope: Construct, id: string, props: EdgeUsersApiProps) {
    super(scope, id, props);
    const { openNextDir, parameterPrefix, domainName, certificateArn } = props;
    for (const part of ['assets', 'server-functions/default/index.mjs', 'middleware/handler.mjs']) {
      if (!existsSync(join(openNextDir, part))) {
        throw new Error(`${join(openNextDir, part)} is missing: run \`npm run build:aws\` first`);
      }
    }
    if (Boolean(domainName) !== Boolean(certificateArn)) {
      throw new Error('domainName and certificateArn go together (the certificate must be in us-east-1)');
    }
    const names = parameterNames(parameterPrefix);
    const parameterArn = (name: string) =>
      this.formatArn({ service: 'ssm', resource: 'parameter', resourceName: name.slice(1) });
    // With a custom domain the public origin is known now; otherwise it is the distribution's own domain, which
    // the functions cannot name in their configuration (the distribution depends on them), so the stack writes it
    // to a parameter they read at start.
    const knownOrigin = domainName ? `https://${domainName}` : undefined;

    const bucket = new s3.Bucket(this, 'Assets', {
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      encryption: s3.BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      removalPolicy: RemovalPolicy.DESTROY,
      autoDeleteObjects: true,
    });

    const serverSettings = {
      parameters: {
        JWT_SECRET: names.JWT_SECRET,
        DATABASE_URL: names.DATABASE_URL,
        ORIGIN_SECRET: names.ORIGIN_SECRET,
        ...(knownOrigin ? {} : { PUBLIC_ORIGIN: names.PUBLIC_ORIGIN }),
      },
    };
    const server = new lambda.Function(this, 'Server', {
      description: 'edge-users-api: the Next.js server (OpenNext), behind CloudFront',
      runtime: NODE_RUNTIME,
      architecture: lambda.Architecture.ARM_64,
      handler: 'server.handler',
      code: stagedCode(join(openNextDir, 'server-functions/default'), (dir) => copyRuntime(dir, ['server.mjs'])),
      memorySize: 1024,
      timeout: Duration.seconds(30),
      environment: {
        // Plain values for the app (src/env.ts reads them as they are); the secrets' parameter names for server.mjs.
        NODE_ENV: 'production',
        TRUST_PROXY: 'true',
        ...(knownOrigin ? { PUBLIC_ORIGIN: knownOrigin } : {}),
        EDGE_USERS_API_SETTINGS: JSON.stringify(serverSettings),
      },
      logGroup: new logs.LogGroup(this, 'ServerLogs', {
        retention: logs.RetentionDays.ONE_MONTH,
        removalPolicy: RemovalPolicy.DESTROY,
      }),
    });
    server.addToRolePolicy(
      new iam.PolicyStatement({
        actions: ['ssm:GetParameters'],
        resources: Object.values(serverSettings.parameters).map(parameterArn),
      }),
    );
    // Expired sessions, links and rate-limit windows deleted daily: the scheduled event makes server.mjs run
    // GET /api/cron/prune in process (the route's secret never leaves the instance); a failure is retried.
    new events.Rule(this, 'Prune', {
      description: 'edge-users-api: delete expired sessions, links and rate-limit windows',
      schedule: events.Schedule.cron({ minute: '17', hour: '4' }),
      targets: [new targets.LambdaFunction(server, { retryAttempts: 2 })],
    });
    // Public, as CloudFront needs it to be; server.mjs refuses requests without CloudFront's origin secret.
    const url = server.addFunctionUrl({
      authType: lambda.FunctionUrlAuthType.NONE,
      invokeMode: lambda.InvokeMode.BUFFERED,
    });

    // middleware.ts at the edge. It has no environment: its settings go into its bundle (no secret among them).
    const gateSettings = {
      environment: {
        NODE_ENV: 'production',
        TRUST_PROXY: 'true',
        ...(knownOrigin ? { PUBLIC_ORIGIN: knownOrigin } : {}),
        // src/env.ts requires a database URL, which the gate never uses: it gets one that can reach nothing,
        // so the database's password stays with the server function.
        DATABASE_URL: 'postgresql://unused:unused@database.invalid/edge-gate-has-no-database',
      },
      parameters: {
        JWT_SECRET: names.JWT_SECRET,
        ...(knownOrigin ? {} : { PUBLIC_ORIGIN: names.PUBLIC_ORIGIN }),
      },
      region: STACK_REGION,
    };
    const gate = new cloudfront.experimental.EdgeFunction(this, 'Gate', {
      description: 'edge-users-api: middleware.ts (OpenNext external middleware), CloudFront viewer request',
      runtime: NODE_RUNTIME,
      handler: 'gate.handler',
      code: stagedCode(join(openNextDir, 'middleware'), (dir) => {
        copyRuntime(dir, ['gate.mjs']);
        writeFileSync(join(dir, 'settings.json'), `${JSON.stringify(gateSettings, null, 2)}\n`);
      }),
      // Viewer-request functions: at most 128 MB and 5 seconds.
      memorySize: 128,
      timeout: Duration.seconds(5),
    });
    gate.addToRolePolicy(
      new iam.PolicyStatement({
        actions: ['ssm:GetParameters'],
        resources: Object.values(gateSettings.parameters).map(parameterArn),
      }),
    );

    // Dynamic pages and the API: never cached (the cache policy only exists so that Authorization, cookies and the
    // query reach the function; TTLs are 0 unless the app says otherwise, at most a second).
    const dynamicPolicy = new cloudfront.CachePolicy(this, 'Dynamic', {
      comment: 'edge-users-api: forward Authorization, cookies and the query; cache nothing by default',
      defaultTtl: Duration.seconds(0),
      minTtl: Duration.seconds(0),
      maxTtl: Duration.seconds(1),
      headerBehavior: cloudfront.CacheHeaderBehavior.allowList('authorization'),
      cookieBehavior: cloudfront.CacheCookieBehavior.all(),
      queryStringBehavior: cloudfront.CacheQueryStringBehavior.all(),
      enableAcceptEncodingGzip: true,
      enableAcceptEncodingBrotli: true,
    });
    // Every viewer header but those that name a host: the Function URL needs its own Host, and the public host is
    // the stack's to say (PUBLIC_ORIGIN), never a client's.
    const dynamicOriginPolicy = new cloudfront.OriginRequestPolicy(this, 'DynamicOrigin', {
      comment: 'edge-users-api: viewer headers except Host, X-Forwarded-Host and Forwarded',
      headerBehavior: cloudfront.OriginRequestHeaderBehavior.denyList('host', 'x-forwarded-host', 'forwarded'),
      cookieBehavior: cloudfront.OriginRequestCookieBehavior.all(),
      queryStringBehavior: cloudfront.OriginRequestQueryStringBehavior.all(),
    });
    const originSecret = ssm.StringParameter.valueForStringParameter(this, names.ORIGIN_SECRET);
    const serverOrigin = new origins.FunctionUrlOrigin(url, {
      customHeaders: { 'x-origin-secret': originSecret },
      readTimeout: Duration.seconds(30),
    });

    const staticOrigin = origins.S3BucketOrigin.withOriginAccessControl(bucket);
    const staticBehavior = (cachePolicy: cloudfront.ICachePolicy): cloudfront.BehaviorOptions => ({
      origin: staticOrigin,
      viewerProtocolPolicy: cloudfront.ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
      allowedMethods: cloudfront.AllowedMethods.ALLOW_GET_HEAD_OPTIONS,
      cachePolicy,
      compress: true,
    });
    const assets = join(openNextDir, 'assets');
    // BUILD_ID is OpenNext's note of the build, not a public file.
    const publicFiles = readdirSync(assets).filter((name) => name !== '_next' && name !== 'BUILD_ID');
    const additionalBehaviors: Record<string, cloudfront.BehaviorOptions> = {
      '_next/static/*': staticBehavior(cloudfront.CachePolicy.CACHING_OPTIMIZED),
    };
    for (const name of publicFiles) {
      const pattern = statSync(join(assets, name)).isDirectory() ? `${name}/*` : name;
      additionalBehaviors[pattern] = staticBehavior(cloudfront.CachePolicy.CACHING_OPTIMIZED);
    }

    const distribution = new cloudfront.Distribution(this, 'Distribution', {
      comment: 'edge-users-api',
      priceClass: cloudfront.PriceClass.PRICE_CLASS_100,
      httpVersion: cloudfront.HttpVersion.HTTP2_AND_3,
      ...(domainName && certificateArn
        ? {
            domainNames: [domainName],
            minimumProtocolVersion: cloudfront.SecurityPolicyProtocol.TLS_V1_2_2021,
            certificate: acm.Certificate.fromCertificateArn(this, 'Certificate', certificateArn),
          }
        : {}),
      defaultBehavior: {
        origin: serverOrigin,
        viewerProtocolPolicy: cloudfront.ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
        allowedMethods: cloudfront.AllowedMethods.ALLOW_ALL,
        cachePolicy: dynamicPolicy,
        originRequestPolicy: dynamicOriginPolicy,
        compress: true,
        edgeLambdas: [
          { eventType: cloudfront.LambdaEdgeEventType.VIEWER_REQUEST, functionVersion: gate.currentVersion },
        ],
      },
      additionalBehaviors,
    });

    if (!knownOrigin) {
      new ssm.StringParameter(this, 'PublicOrigin', {
        parameterName: names.PUBLIC_ORIGIN,
        description: 'edge-users-api: the public origin (the CloudFront domain), read by both functions at start',
        stringValue: `https://${distribution.distributionDomainName}`,
      });
    }

    // The content-hashed build files, cached for a year; then the other public files, revalidated.
    new s3deploy.BucketDeployment(this, 'StaticFiles', {
      destinationBucket: bucket,
      destinationKeyPrefix: '_next',
      sources: [s3deploy.Source.asset(join(assets, '_next'))],
      cacheControl: [s3deploy.CacheControl.fromString(IMMUTABLE)],
      prune: false,
      memoryLimit: 512,
    });
    if (publicFiles.length > 0) {
      new s3deploy.BucketDeployment(this, 'PublicFiles', {
        destinationBucket: bucket,
        sources: [s3deploy.Source.asset(assets, { exclude: ['_next', '_next/**', 'BUILD_ID'] })],
        cacheControl: [s3deploy.CacheControl.fromString(PUBLIC_FILE)],
        prune: false,
        distribution,
        distributionPaths: publicFiles.map((name) => `/${name}`),
      });
    }

    new CfnOutput(this, 'PublicOriginUrl', { value: knownOrigin ?? `https://${distribution.distributionDomainName}` });
    new CfnOutput(this, 'DistributionId', { value: distribution.distributionId });
    new CfnOutput(this, 'ServerFunctionName', { value: server.functionName });
    new CfnOutput(this, 'ServerFunctionUrl', {
      value: url.url,
      description: 'Refuses requests without the origin secret (403 not_through_cdn)',
    });
  }
}
