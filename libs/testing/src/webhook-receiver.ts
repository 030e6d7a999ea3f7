// An HTTP endpoint on 127.0.0.1 for tests (a webhook receiver, a lab's model): records every request and answers as told.
import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import { AddressInfo } from 'node:net';

export interface Received {
  headers: Record<string, string>;
  body: string;
}

export type Answer = { status: number; headers?: Record<string, string>; body?: string | Buffer } | 'hang';

/** Answers the n-th request (counted from 1) as `answer` says; 'hang' never answers. */
export class Receiver {
  readonly requests: Received[] = [];
  /** TCP connections accepted, whether or not a request came over them (a TLS hello to this plain server does not). */
  connections = 0;
  private readonly hanging: ServerResponse[] = [];

  private readonly server: Server;

  private constructor(answer: (n: number) => Answer) {
    this.server = createServer((req: IncomingMessage, res: ServerResponse) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const headers: Record<string, string> = {};
        for (const [k, v] of Object.entries(req.headers)) if (typeof v === 'string') headers[k] = v;
        this.requests.push({ headers, body: Buffer.concat(chunks).toString('utf8') });
        const a = answer(this.requests.length);
        if (a === 'hang') this.hanging.push(res);
        else res.writeHead(a.status, a.headers ?? {}).end(a.body);
      });
    });
    this.server.on('connection', () => this.connections++);
  }

  static async start(answer: (n: number) => Answer = () => ({ status: 200 })): Promise<Receiver> {
    const receiver = new Receiver(answer);
    await new Promise<void>((resolve) => receiver.server.listen(0, '127.0.0.1', resolve));
    return receiver;
  }

  get url(): string {
    return `${this.origin}/hook`;
  }

  /** `http://127.0.0.1:<port>`, for a test that chooses its own path. */
  get origin(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  get inFlight(): number {
    return this.hanging.filter((r) => !r.writableEnded && !r.destroyed).length;
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
