// Keeps health and metrics at the same paths in every service, whatever global prefix it sets.
import { RequestMethod } from '@nestjs/common';
import type { RouteInfo } from '@nestjs/common/interfaces';
import { ApplicationConfig } from '@nestjs/core';
import { mapToExcludeRoute } from '@nestjs/core/middleware/utils';

export const OBSERVABILITY_ROUTES: RouteInfo[] = [
  { path: 'metrics', method: RequestMethod.GET },
  { path: 'health/live', method: RequestMethod.GET },
  { path: 'health/ready', method: RequestMethod.GET },
];

/** Must run after main.ts set the prefix and before routes are registered, i.e. in `configure()`. */
export function excludeFromGlobalPrefix(config: ApplicationConfig): void {
  if (!config.getGlobalPrefix()) return;
  const options = config.getGlobalPrefixOptions();
  // Excludes as `NestApplication.setGlobalPrefix` compiles them.
  config.setGlobalPrefixOptions({ ...options, exclude: [...(options.exclude ?? []), ...mapToExcludeRoute(OBSERVABILITY_ROUTES)] });
}
