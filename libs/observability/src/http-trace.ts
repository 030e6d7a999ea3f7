// Reads the trace an HTTP request brings (W3C trace context, x-correlation-id), keeping only what is well formed.
import type { IncomingHttpHeaders } from 'node:http';
import { traceIdOf } from '@vantage/contracts';

/** Generous enough for UUIDs, ULIDs and hex ids; anything else could smuggle text into log lines. */
const CORRELATION_ID = /^[A-Za-z0-9._:-]{1,128}$/;

export interface IncomingTrace {
  /** The caller's traceparent, when it is valid: the request's span continues that trace. */
  traceparent?: string;
  /** The caller's correlation id, when it is a plain token. */
  correlationId?: string;
}

export function incomingTrace(headers: IncomingHttpHeaders): IncomingTrace {
  const traceparent = first(headers['traceparent']);
  const correlationId = first(headers['x-correlation-id']);
  return {
    ...(traceparent !== undefined && isValidTraceparent(traceparent) ? { traceparent } : {}),
    ...(correlationId !== undefined && CORRELATION_ID.test(correlationId) ? { correlationId } : {}),
  };
}

/** W3C trace context level 1: lowercase hex, version `ff` and all-zero ids are invalid. */
export function isValidTraceparent(value: string): boolean {
  const traceId = traceIdOf(value);
  if (traceId === undefined || value.startsWith('ff-') || /^0+$/.test(traceId)) return false;
  return !/^0+$/.test(value.slice(36, 52));
}

function first(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}
