import { IsOptional, IsString, MinLength } from 'class-validator';
import { loadConfig, ServiceConfig } from '@vantage/config';

export class IntakeConfig extends ServiceConfig {
  override PORT = 3000;

  /** The first operator key; with it an operator creates organisations and their keys. */
  @IsOptional() @IsString() @MinLength(24, { message: 'must be at least 24 characters' })
  VANTAGE_BOOTSTRAP_OPERATOR_KEY?: string = undefined;
}

export const loadIntakeConfig = (env = process.env, overrides: Partial<IntakeConfig> = {}) => loadConfig(IntakeConfig, env, overrides);
