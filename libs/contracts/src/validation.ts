// Payload validation shared by producers (before writing the outbox) and consumers (before handling).
import { plainToInstance } from 'class-transformer';
import { registerDecorator, validateSync, ValidationError, ValidationOptions } from 'class-validator';

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
      // The property name is the client's text (an unknown field): compared as a string, never made a pattern.
      const messages = Object.values(e.constraints).map((m) => (m.startsWith(`${e.property} `) ? m.slice(e.property.length + 1) : m));
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

const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})$/;

/** An RFC 3339 date-time with its zone (`2026-12-20T00:00:00Z`): what the API means by a time. */
export function IsRfc3339(options?: ValidationOptions): PropertyDecorator {
  return (target: object, propertyKey: string | symbol) => {
    registerDecorator({
      name: 'isRfc3339',
      target: target.constructor,
      propertyName: propertyKey as string,
      options: { message: 'must be an RFC 3339 date-time with a time zone, e.g. 2026-12-20T00:00:00Z', ...options },
      validator: {
        validate: (value: unknown) => typeof value === 'string' && RFC3339.test(value) && !Number.isNaN(Date.parse(value)),
      },
    });
  };
}
