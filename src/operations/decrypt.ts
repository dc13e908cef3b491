import { errors } from '../protocol/errors.js';
import { recipientKey, sealForRecipient, type EnclaveRecipient, type RecipientInput } from '../kms/recipient.js';
import type { OperationContext } from '../kms/context.js';
import { checkKeyIgnoringCiphertext, decryptCiphertext, type Decrypted } from '../kms/decryption.js';
import { recordUsage } from '../kms/usage.js';

export interface DecryptInput {
  CiphertextBlob?: Buffer;
  EncryptionContext?: Record<string, string>;
  GrantTokens?: string[];
  KeyId?: string;
  EncryptionAlgorithm?: string;
  Recipient?: RecipientInput;
  DryRun?: boolean;
  DryRunModifiers?: string[];
}

export function decrypt(input: DecryptInput, context: OperationContext): DecryptOutput | Promise<DecryptOutput> {
  const ignoreCiphertext = input.DryRun === true && input.DryRunModifiers?.includes('IGNORE_CIPHERTEXT') === true;
  if (ignoreCiphertext) return dryRunIgnoringCiphertext(input, context);
  if (input.CiphertextBlob === undefined) {
    throw errors.validation("1 validation error detected: Value null at 'ciphertextBlob' failed to satisfy constraint: Member must not be null");
  }
  const result = decryptCiphertext(context, input.CiphertextBlob, input.KeyId, input.EncryptionAlgorithm, input.EncryptionContext, 'Decrypt');
  // The usual request (a symmetric ciphertext, no Recipient) is answered without a promise; the same steps in the
  // same order otherwise.
  if (result instanceof Promise || input.Recipient !== undefined) {
    return (async () => {
      const decrypted = await result;
      // With a Recipient the plaintext goes only into CiphertextForRecipient (Plaintext absent).
      const enclaveKey = await recipientKey(input.Recipient);
      return decryptOutput(input, context, decrypted, enclaveKey);
    })();
  }
  return decryptOutput(input, context, result, undefined);
}

interface DecryptOutput {
  KeyId: string;
  Plaintext: Buffer | undefined;
  CiphertextForRecipient: Buffer | undefined;
  EncryptionAlgorithm: string;
  KeyMaterialId: string | undefined;
}

function decryptOutput(input: DecryptInput, context: OperationContext, result: Decrypted, enclaveKey: EnclaveRecipient | undefined): DecryptOutput {
  if (input.DryRun) throw errors.dryRun();
  recordUsage(result.key, context);
  return {
    KeyId: result.key.metadata.Arn,
    Plaintext: enclaveKey ? undefined : result.plaintext,
    CiphertextForRecipient: enclaveKey ? sealForRecipient(enclaveKey, result.plaintext) : undefined,
    EncryptionAlgorithm: result.algorithm,
    KeyMaterialId: result.keyMaterialId,
  };
}

/** DryRun with IGNORE_CIPHERTEXT: only the key (and a Recipient) is checked (decryption.ts). */
async function dryRunIgnoringCiphertext(input: DecryptInput, context: OperationContext): Promise<never> {
  await checkKeyIgnoringCiphertext(context, input.KeyId, input.Recipient);
  throw errors.dryRun();
}
