// The trace of the work in hand (an HTTP request, an event, an RPC call), carried across awaits.
import { AsyncLocalStorage } from 'node:async_hooks';

export interface TraceFields {
  traceparent: string;
  correlationId: string;
}

const storage = new AsyncLocalStorage<TraceFields>();

export const TraceContext = {
  run<T>(fields: TraceFields, fn: () => T): T {
    return storage.run(fields, fn);
  },

  current(): TraceFields | undefined {
    return storage.getStore();
  },

  /** Sets the trace for the rest of the current execution; prefer `run`, whose scope ends with `fn`. */
  enter(fields: TraceFields): void {
    storage.enterWith(fields);
  },
};
