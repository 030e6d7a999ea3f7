// A text/event-stream reader for GET /v1/events, shared by the live-stream tests.
import { waitFor } from '@vantage/testing';

export interface SseEvent {
  id: string;
  data: any;
}

/** A text/event-stream reader: collects events and comments as they arrive, until closed. */
export class SseClient {
  readonly events: SseEvent[] = [];
  readonly comments: string[] = [];
  /** The server ended the stream (or we closed it). */
  ended = false;
  private pending = '';
  private done?: Promise<void>;

  private constructor(
    readonly status: number,
    readonly contentType: string | null,
    private readonly abort: AbortController,
  ) {}

  static async open(url: string, key: string, headers: Record<string, string> = {}): Promise<SseClient> {
    const abort = new AbortController();
    const res = await fetch(url, { headers: { authorization: `Bearer ${key}`, accept: 'text/event-stream', ...headers }, signal: abort.signal });
    const client = new SseClient(res.status, res.headers.get('content-type'), abort);
    if (res.ok && res.body) client.done = client.read(res.body);
    return client;
  }

  private async read(body: ReadableStream<Uint8Array>): Promise<void> {
    const decoder = new TextDecoder();
    try {
      for await (const chunk of body as unknown as AsyncIterable<Uint8Array>) {
        this.pending += decoder.decode(chunk, { stream: true });
        const frames = this.pending.split('\n\n');
        this.pending = frames.pop() ?? '';
        for (const frame of frames) this.frame(frame);
      }
    } catch {
      // Closed by us.
    }
    this.ended = true;
  }

  private frame(frame: string): void {
    let id: string | undefined;
    const data: string[] = [];
    for (const line of frame.split('\n')) {
      if (line.startsWith(':')) this.comments.push(line.slice(1).trim());
      else if (line.startsWith('id: ')) id = line.slice(4);
      else if (line.startsWith('data: ')) data.push(line.slice(6));
    }
    if (data.length) this.events.push({ id: id ?? '', data: JSON.parse(data.join('\n')) });
  }

  received(n: number): Promise<SseEvent[]> {
    return waitFor(() => this.events.length >= n && this.events.slice(0, n), { what: `${n} event(s) on the stream` });
  }

  async close(): Promise<void> {
    this.abort.abort();
    await this.done;
  }
}
