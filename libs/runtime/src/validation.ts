// The one HTTP input validation: class-validator DTOs, unknown fields refused, failures naming each field.
import { ArgumentMetadata, ValidationPipe } from '@nestjs/common';
import { fieldProblems, PayloadInvalidError, validatePayload } from '@vantage/contracts';
import { ValidationFailedException } from './problem-details.filter';

/** No request of the API nests anywhere near this deep; deeper input would overflow the recursive transform. */
export const MAX_INPUT_DEPTH = 32;

class BoundedValidationPipe extends ValidationPipe {
  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    if (depthExceeds(value, MAX_INPUT_DEPTH)) {
      const field = metadata.type === 'body' ? '(body)' : metadata.type;
      throw new ValidationFailedException([{ field, message: `nests deeper than ${MAX_INPUT_DEPTH} levels` }]);
    }
    // A body DTO takes the one payload validation (the events' too), synchronously: Nest's path walks the body three
    // more times (proto keys, array gaps, binary values; the JSON parser already refuses prototype poisoning) and
    // validates through promises. Query strings, params and primitives keep Nest's path and its conversions.
    if (metadata.type === 'body' && metadata.metatype && this.toValidate(metadata)) {
      try {
        return validatePayload(metadata.metatype as new () => object, value ?? {}, '(body)');
      } catch (e) {
        if (e instanceof PayloadInvalidError) throw new ValidationFailedException(e.problems);
        throw e;
      }
    }
    return super.transform(value, metadata);
  }
}

/** Measured without recursion, so that the check itself cannot overflow the stack. */
function depthExceeds(value: unknown, limit: number): boolean {
  const stack: [unknown, number][] = [[value, 0]];
  while (stack.length) {
    const [v, depth] = stack.pop()!;
    if (v === null || typeof v !== 'object') continue;
    if (depth >= limit) return true;
    for (const child of Object.values(v)) if (child !== null && typeof child === 'object') stack.push([child, depth + 1]);
  }
  return false;
}

export function createValidationPipe(): ValidationPipe {
  return new BoundedValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    forbidUnknownValues: true,
    transform: true,
    stopAtFirstError: false,
    validationError: { target: false, value: false },
    exceptionFactory: (errors) => new ValidationFailedException(fieldProblems(errors)),
  });
}
