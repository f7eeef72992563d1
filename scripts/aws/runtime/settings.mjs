// Settings for the deployed functions, loaded once per instance before the app's code is imported: plain values
// the stack wrote, and secrets read from SSM Parameter Store (SecureString, decrypted), so that no secret is
// ever in the CloudFormation template, a function's configuration or its code. Lambda@Edge has no environment
// variables at all, so the edge gate gets the same from a file the stack writes into its bundle.
import { createRequire } from 'node:module';

/**
 * @typedef {object} Settings
 * @property {Record<string, string>} [environment] values set as they are
 * @property {Record<string, string>} [parameters] variable name → SSM parameter name, read with decryption
 * @property {string} [region] the parameters' region (the edge runs everywhere; its parameters live in one)
 */

/** The AWS SDK the Lambda runtime provides (CommonJS, found on NODE_PATH); not bundled into either function. */
function ssmClient(region) {
  const { SSMClient, GetParametersCommand } = createRequire(import.meta.url)('@aws-sdk/client-ssm');
  const client = new SSMClient(region ? { region } : {});
  return {
    /** @param {string[]} names */
    async read(names) {
      const answer = await client.send(new GetParametersCommand({ Names: names, WithDecryption: true }));
      if (answer.InvalidParameters?.length) {
        throw new Error(`SSM parameters not found: ${answer.InvalidParameters.join(', ')}`);
      }
      return new Map((answer.Parameters ?? []).map((parameter) => [parameter.Name, parameter.Value]));
    },
  };
}

/**
 * Sets `process.env` from `settings`: its plain values, then each named parameter's value (at most 10 per
 * request, as SSM allows). Throws, naming the parameters, when one is missing.
 * @param {Settings} settings
 */
export async function applySettings(settings) {
  Object.assign(process.env, settings.environment ?? {});
  const wanted = Object.entries(settings.parameters ?? {});
  if (wanted.length === 0) return;
  if (wanted.length > 10) throw new Error('at most 10 SSM parameters per function');
  const values = await ssmClient(settings.region).read(wanted.map(([, name]) => name));
  for (const [variable, name] of wanted) {
    const value = values.get(name);
    if (value === undefined) throw new Error(`SSM parameter ${name} (for ${variable}) not found`);
    process.env[variable] = value;
  }
}

/** Runs `load` once per instance; a failed load is retried by the next request instead of being cached. */
export function once(load) {
  let pending;
  return () => {
    pending ??= load().catch((error) => {
      pending = undefined;
      throw error;
    });
    return pending;
  };
}
