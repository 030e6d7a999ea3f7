// Passes a lab's server-sent events through to the agency, redacted. Whole lines only are passed on (the rest waits
// for the next chunk): a stream cut short ends on a well-formed event of ours, not inside one of the lab's, and a
// credential split across chunks is still redacted.
import { Transform } from 'node:stream';
import { StringDecoder } from 'node:string_decoder';
import { TokenUsage, usageOfLine } from './chat-completion';

export interface SseRelay {
  stream: Transform;
  /** The token counts the stream has reported so far. */
  usage(): TokenUsage | undefined;
  /** Ends the stream early with an event of ours; the lab's unfinished line is dropped. */
  endWith(event: Record<string, unknown>): void;
}

export function sseRelay(redact: (text: string) => string): SseRelay {
  let usage: TokenUsage | undefined;
  let pending = '';
  const decoder = new StringDecoder('utf8');
  const stream = new Transform({
    transform(chunk: Buffer | string, _enc, done) {
      pending += typeof chunk === 'string' ? chunk : decoder.write(chunk);
      const cut = pending.lastIndexOf('\n') + 1;
      const whole = pending.slice(0, cut);
      pending = pending.slice(cut);
      for (const line of whole.split('\n')) usage = usageOfLine(line, usage);
      done(null, whole ? redact(whole) : undefined);
    },
    flush(done) {
      const rest = pending + decoder.end();
      done(null, rest ? redact(rest) : undefined);
    },
  });
  return {
    stream,
    usage: () => usage,
    endWith: (event) => {
      pending = '';
      stream.end(`data: ${JSON.stringify(event)}\n\n`);
    },
  };
}
