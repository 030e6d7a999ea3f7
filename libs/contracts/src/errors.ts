// Domain errors: typed, each with a stable code and the HTTP status it maps to. They travel over
// request-reply as data and are turned into problem+json once, at the gateway.
import { FieldProblem } from './validation';

export class DomainError extends Error {
  constructor(
    readonly code: string,
    readonly status: number,
    message: string,
    readonly errors?: FieldProblem[],
  ) {
    super(message);
    this.name = new.target.name;
  }
}

export class NotFoundError extends DomainError {
  constructor(what: string) {
    super('not_found', 404, `${what} was not found`);
  }
}

export class ConflictError extends DomainError {
  constructor(code: string, message: string) {
    super(code, 409, message);
  }
}

export class ForbiddenError extends DomainError {
  constructor(message = 'your organisation may not do this') {
    super('forbidden', 403, message);
  }
}

export class RuleViolationError extends DomainError {
  constructor(code: string, message: string, errors?: FieldProblem[]) {
    super(code, 422, message, errors);
  }
}

export class InputInvalidError extends DomainError {
  constructor(message: string, errors: FieldProblem[]) {
    super('validation_failed', 400, message, errors);
  }
}

/** Too many requests of some kind: 429, with how long to wait when it is known (Retry-After). */
export class RateLimitedError extends DomainError {
  constructor(code: string, message: string, readonly retryAfterSeconds?: number) {
    super(code, 429, message);
  }
}
