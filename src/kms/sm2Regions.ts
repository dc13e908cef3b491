import { KmsError, errors } from '../protocol/errors.js';
import { INPUT_SHAPES } from '../model/generated/shapes.js';
import type { OperationName } from '../model/generated/operations.js';

/** SM2 keys and key pairs exist only in the AWS China Regions ("Key spec reference", "SM2 key spec"). */
export function isSm2Region(region: string): boolean {
  return region.startsWith('cn-');
}

/**
 * Outside China, SM2 is not in the service's enum at all (AWS's recorded KeySpec list has no SM2), so a
 * request naming it fails model validation there, with SM2 left out of the listed values.
 */
export function sm2OutsideChina(operation: OperationName, member: string, value: string): KmsError {
  const description = INPUT_SHAPES[operation].members!.find((candidate) => candidate.name === member)!;
  const enumText = (description.enumText ?? description.shape.enumText)!.replace(/, SM2(?=[,\]])|SM2, /, '');
  return errors.validation(
    `1 validation error detected: Value '${value}' at '${description.path}' failed to satisfy constraint: Member must satisfy enum value set: ${enumText}`,
  );
}
