// Payload validation shared by producers (before writing the outbox) and consumers (before handling).
import { plainToInstance } from 'class-transformer';
import { getMetadataStorage, registerDecorator, validateSync, ValidationError, ValidationOptions } from 'class-validator';
import type { ValidationMetadata } from 'class-validator/types/metadata/ValidationMetadata';

/**
 * class-validator works out a class's rules afresh for every object it validates: it walks every class that has
 * rules (hundreds here, every contract class) testing `instanceof`, then groups the result by property. That was
 * most of the cost of a validation. The answer for a class changes only when a rule is registered, so it is kept
 * per class and options, and forgotten whenever a rule or constraint is added. Applies to every user of the
 * process-wide metadata storage (Nest's ValidationPipe included). No option of the library does this (0.15).
 */
function rememberRuleLookups(): void {
  type Storage = {
    getTargetValidationMetadatas(target: object, schema: string, always: boolean, strictGroups: boolean, groups?: string[]): ValidationMetadata[];
    groupByPropertyName(metadata: ValidationMetadata[]): Record<string, ValidationMetadata[]>;
    addValidationMetadata(metadata: unknown): void;
    addValidationSchema(schema: unknown): void;
    addConstraintMetadata(metadata: unknown): void;
    __vantageRemembers?: boolean;
  };
  const storage = getMetadataStorage() as unknown as Storage;
  if (storage.__vantageRemembers) return;
  storage.__vantageRemembers = true;
  let lookups = new Map<object, Map<string, ValidationMetadata[]>>();
  let groupings = new WeakMap<ValidationMetadata[], Record<string, ValidationMetadata[]>>();
  const forget = () => {
    lookups = new Map();
    groupings = new WeakMap();
  };
  const lookup = storage.getTargetValidationMetadatas.bind(storage);
  const group = storage.groupByPropertyName.bind(storage);
  for (const name of ['addValidationMetadata', 'addValidationSchema', 'addConstraintMetadata'] as const) {
    const add = storage[name].bind(storage);
    storage[name] = (arg: unknown) => {
      forget();
      add(arg);
    };
  }
  storage.getTargetValidationMetadatas = (target, schema, always, strictGroups, groups) => {
    const key = `${schema}\u0000${always}\u0000${strictGroups}\u0000${groups?.join('\u0001') ?? ''}`;
    let byOptions = lookups.get(target);
    if (!byOptions) lookups.set(target, (byOptions = new Map()));
    let found = byOptions.get(key);
    if (!found) byOptions.set(key, (found = lookup(target, schema, always, strictGroups, groups)));
    return found;
  };
  storage.groupByPropertyName = (metadata) => {
    let grouped = groupings.get(metadata);
    if (!grouped) groupings.set(metadata, (grouped = group(metadata)));
    return grouped;
  };
}
rememberRuleLookups();

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

const RFC3339 = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(\.\d{1,9})?(Z|[+-](\d{2}):(\d{2}))$/;

/**
 * Whether every field names a real instant: Date.parse quietly rolls `2026-02-30` over to 2 March and `24:00:00`
 * over to the next day, which would schedule a release on a date the client never wrote.
 */
function isRfc3339(value: unknown): boolean {
  const m = typeof value === 'string' ? RFC3339.exec(value) : null;
  if (!m) return false;
  const [year, month, day, hour, minute, second] = m.slice(1, 7).map(Number);
  const lastDay = new Date(0);
  lastDay.setUTCFullYear(year, month, 0);
  const daysInMonth = lastDay.getUTCDate();
  const offsetOk = m[8] === 'Z' || (Number(m[9]) <= 23 && Number(m[10]) <= 59);
  return month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth && hour <= 23 && minute <= 59 && second <= 59 && offsetOk && !Number.isNaN(Date.parse(value as string));
}

/** An RFC 3339 date-time with its zone (`2026-12-20T00:00:00Z`): what the API means by a time. */
export function IsRfc3339(options?: ValidationOptions): PropertyDecorator {
  return (target: object, propertyKey: string | symbol) => {
    registerDecorator({
      name: 'isRfc3339',
      target: target.constructor,
      propertyName: propertyKey as string,
      options: { message: 'must be an RFC 3339 date-time with a time zone, e.g. 2026-12-20T00:00:00Z', ...options },
      validator: {
        validate: (value: unknown) => isRfc3339(value),
      },
    });
  };
}
