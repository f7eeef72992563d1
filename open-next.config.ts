// OpenNext settings for `npm run build:aws`: the server function behind CloudFront (a Lambda Function URL,
// whose events are API Gateway HTTP API payload 2.0), and middleware.ts built apart as the edge gate, a
// Lambda@Edge viewer-request function (scripts/aws deploys both). The app caches no rendered pages (no ISR,
// no revalidation; /docs and the 404 page render on demand), so neither function needs an S3 incremental
// cache, DynamoDB tag cache or SQS revalidation queue.
import type { OpenNextConfig } from '@opennextjs/aws/types/open-next.js';

const config = {
  default: {
    override: {
      wrapper: 'aws-lambda',
      converter: 'aws-apigw-v2',
      incrementalCache: 'dummy',
      tagCache: 'dummy',
      queue: 'dummy',
    },
  },
  middleware: {
    external: true,
    override: {
      wrapper: 'aws-lambda',
      converter: 'aws-cloudfront',
      incrementalCache: 'dummy',
      tagCache: 'dummy',
      queue: 'dummy',
    },
    // Whatever passes the gate goes on to the behaviour's own origin (the server function), never elsewhere.
    originResolver: 'dummy',
  },
} satisfies OpenNextConfig;

export default config;
