// Configuration is a class-validator class whose property names are the environment variables:
// read once at boot, converted, validated, and refused with the variable's name when wrong.
import { plainToInstance } from 'class-transformer';
import { validateSync, ValidationError } from 'class-validator';

export class ConfigError extends Error {
  constructor(readonly problems: { variable: string; message: string }[]) {
    super(`Invalid configuration: ${problems.map((p) => `${p.variable}: ${p.message}`).join('; ')}`);
    this.name = 'ConfigError';
  }
}

type Env = Record<string, string | undefined>;

/** Builds a validated config object: defaults from the class, overridden by env (and explicit overrides). */
export function loadConfig<T extends object>(cls: new () => T, env: Env = process.env, overrides: Partial<T> = {}): T {
  const defaults = new cls() as Record<string, unknown>;
  const raw: Record<string, unknown> = {};
  for (const key of Object.keys(defaults)) {
    const fromEnv = env[key];
    raw[key] = fromEnv !== undefined && fromEnv !== '' ? convert(fromEnv, defaults[key]) : defaults[key];
  }
  for (const [key, value] of Object.entries(overrides)) if (value !== undefined) raw[key] = value;
  const config = plainToInstance(cls, raw, { exposeDefaultValues: true });
  const errors = validateSync(config as object, { whitelist: false, forbidUnknownValues: true });
  if (errors.length > 0) throw new ConfigError(flatten(errors));
  return Object.freeze(config);
}

/** Environment values are strings; the default's type says what the setting is. */
function convert(value: string, fallback: unknown): unknown {
  if (typeof fallback === 'number') return value.trim() === '' || Number.isNaN(Number(value)) ? value : Number(value);
  if (typeof fallback === 'boolean') {
    const v = value.toLowerCase();
    if (['1', 'true', 'yes', 'on'].includes(v)) return true;
    if (['0', 'false', 'no', 'off'].includes(v)) return false;
  }
  return value;
}

function flatten(errors: ValidationError[]): { variable: string; message: string }[] {
  return errors.map((e) => ({
    variable: e.property,
    message: Object.values(e.constraints ?? {}).join(', ') || 'is invalid',
  }));
}
