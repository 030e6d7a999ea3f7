// Reads the trace of an incoming HTTP request from its headers (W3C trace context, x-correlation-id).
import type { IncomingHttpHeaders } from 'node:http';
import { newTraceparent, traceIdOf } from '@vantage/contracts';
import { TraceFields } from './trace-context';

/** Generous enough for UUIDs, ULIDs and hex ids; anything else could smuggle text into log lines. */
const CORRELATION_ID = /^[A-Za-z0-9._:-]{1,128}$/;

export function traceFromHeaders(headers: IncomingHttpHeaders): TraceFields {
  const incoming = first(headers['traceparent']);
  const traceparent = incoming !== undefined && isValidTraceparent(incoming) ? incoming : newTraceparent();
  const correlationId = first(headers['x-correlation-id']);
  return {
    traceparent,
    correlationId: correlationId !== undefined && CORRELATION_ID.test(correlationId) ? correlationId : traceIdOf(traceparent)!,
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
