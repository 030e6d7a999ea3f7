// Payload validation shared by producers (before writing the outbox) and consumers (before handling).
import { plainToInstance } from 'class-transformer';
import { validateSync, ValidationError } from 'class-validator';

export interface FieldProblem {
  field: string;
  message: string;
}

export class PayloadInvalidError extends Error {
  constructor(
    readonly what: string,
    readonly problems: FieldProblem[],
  ) {
    super(`${what} is invalid: ${problems.map((p) => `${p.field} ${p.message}`).join('; ')}`);
    this.name = 'PayloadInvalidError';
  }
}

export function fieldProblems(errors: ValidationError[], parent = ''): FieldProblem[] {
  const out: FieldProblem[] = [];
  for (const e of errors) {
    const field = parent ? `${parent}.${e.property}` : e.property;
    if (e.constraints) {
      const messages = Object.values(e.constraints).map((m) => m.replace(new RegExp(`^${e.property}\\s`), ''));
      out.push({ field, message: messages.join(', ') });
    }
    if (e.children?.length) out.push(...fieldProblems(e.children, field));
  }
  return out;
}

/** Validates plain data against a contract class; unknown fields are refused. Returns the typed instance. */
export function validatePayload<T extends object>(cls: new () => T, data: unknown, what = cls.name): T {
  if (data === null || typeof data !== 'object' || Array.isArray(data)) {
    throw new PayloadInvalidError(what, [{ field: '(root)', message: 'must be an object' }]);
  }
  const instance = plainToInstance(cls, data);
  const errors = validateSync(instance, { whitelist: true, forbidNonWhitelisted: true, forbidUnknownValues: true });
  if (errors.length) throw new PayloadInvalidError(what, fieldProblems(errors));
  return instance;
}
