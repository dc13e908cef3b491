/**
 * The Regions a credential scope may name. AWS's KMS endpoints exist only for these; a scope naming another
 * Region is refused as AWS refuses it (sigv4.ts, "Credential should be scoped to a valid region").
 * Source: the `kms` endpoints of botocore 1.43.11's endpoints.json (every partition), FIPS variants left out
 * (their scope names the plain Region). `local` is kmslite's choice (some local-emulator setups sign with it).
 * `--allow-custom-regions` accepts any Region-shaped name besides these (docs/aws-compatibility.md).
 */
export const AWS_REGIONS: ReadonlySet<string> = new Set([
  // aws
  'af-south-1', 'ap-east-1', 'ap-east-2', 'ap-northeast-1', 'ap-northeast-2', 'ap-northeast-3', 'ap-south-1', 'ap-south-2',
  'ap-southeast-1', 'ap-southeast-2', 'ap-southeast-3', 'ap-southeast-4', 'ap-southeast-5', 'ap-southeast-6', 'ap-southeast-7',
  'ca-central-1', 'ca-west-1', 'eu-central-1', 'eu-central-2', 'eu-north-1', 'eu-south-1', 'eu-south-2', 'eu-west-1',
  'eu-west-2', 'eu-west-3', 'il-central-1', 'me-central-1', 'me-south-1', 'mx-central-1', 'sa-east-1', 'us-east-1',
  'us-east-2', 'us-west-1', 'us-west-2',
  // aws-cn, aws-us-gov, aws-iso, aws-iso-b, aws-iso-e, aws-iso-f, aws-eusc
  'cn-north-1', 'cn-northwest-1', 'us-gov-east-1', 'us-gov-west-1', 'us-iso-east-1', 'us-iso-west-1', 'us-isob-east-1',
  'us-isob-west-1', 'eu-isoe-west-1', 'us-isof-east-1', 'us-isof-south-1', 'eusc-de-east-1',
  'local',
]);
