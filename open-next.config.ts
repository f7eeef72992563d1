// OpenNext settings for `npm run build:aws`: AWS Lambda behind API Gateway (HTTP API, payload 2.0).
// The app caches no rendered pages (no ISR, no revalidation; /docs and the 404 page render on demand),
// so the server function needs no S3 incremental cache, DynamoDB tag cache or SQS revalidation queue.
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
} satisfies OpenNextConfig;

export default config;
