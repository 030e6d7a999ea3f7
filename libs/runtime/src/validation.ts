// The one HTTP input validation: class-validator DTOs, unknown fields refused, failures naming each field.
import { ValidationPipe } from '@nestjs/common';
import { fieldProblems } from '@vantage/contracts';
import { ValidationFailedException } from './problem-details.filter';

export function createValidationPipe(): ValidationPipe {
  return new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    forbidUnknownValues: true,
    transform: true,
    stopAtFirstError: false,
    validationError: { target: false, value: false },
    exceptionFactory: (errors) => new ValidationFailedException(fieldProblems(errors)),
  });
}
