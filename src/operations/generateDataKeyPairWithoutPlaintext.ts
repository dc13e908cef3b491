import type { OperationContext } from '../kms/context.js';
import { generateDataKeyPairFor, type GenerateDataKeyPairInput } from './generateDataKeyPair.js';

/** As GenerateDataKeyPair, without PrivateKeyPlaintext (AWS-recorded response members). No Recipient member. */
export async function generateDataKeyPairWithoutPlaintext(input: Omit<GenerateDataKeyPairInput, 'Recipient'>, context: OperationContext) {
  const { PrivateKeyPlaintext: _omitted, ...response } = await generateDataKeyPairFor(input, context, 'GenerateDataKeyPairWithoutPlaintext');
  return response;
}
