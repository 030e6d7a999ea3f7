// A real Nest Fastify app on a loopback port with ObservabilityModule, its log lines captured. For the specs of this library.
import { Module, Provider, Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import { Logger } from 'nestjs-pino';
import { Writable } from 'node:stream';
import { ObservabilityModule } from '../src/observability.module';

export type LogLine = Record<string, any>;

export interface ObservedApp {
  app: NestFastifyApplication;
  url: string;
  logs: LogLine[];
  /** Resolves with the first line (already written or still to come) that matches. */
  nextLog(match: (line: LogLine) => boolean): Promise<LogLine>;
  close(): Promise<void>;
}

export interface ObservedAppOptions {
  controllers?: Type[];
  providers?: Provider[];
  globalPrefix?: string;
  readinessTimeoutMs?: number;
  /** What main.ts would do between creating the app and listening. */
  beforeListen?: (app: NestFastifyApplication) => void;
}

export async function startObservedApp(opts: ObservedAppOptions = {}): Promise<ObservedApp> {
  const logs: LogLine[] = [];
  const waiters: { match: (line: LogLine) => boolean; resolve: (line: LogLine) => void }[] = [];
  const logStream = new Writable({
    write(chunk, _encoding, callback) {
      for (const text of String(chunk).split('\n').filter(Boolean)) {
        const line = JSON.parse(text) as LogLine;
        logs.push(line);
        for (const w of waiters.filter((w) => w.match(line))) {
          waiters.splice(waiters.indexOf(w), 1);
          w.resolve(line);
        }
      }
      callback();
    },
  });

  @Module({
    imports: [ObservabilityModule.forRoot({ service: 'probe-service', logLevel: 'info', logStream, readinessTimeoutMs: opts.readinessTimeoutMs })],
    controllers: opts.controllers ?? [],
    providers: opts.providers ?? [],
  })
  class ObservedAppModule {}

  const app = await NestFactory.create<NestFastifyApplication>(ObservedAppModule, new FastifyAdapter(), { bufferLogs: true });
  app.useLogger(app.get(Logger));
  if (opts.globalPrefix) app.setGlobalPrefix(opts.globalPrefix);
  opts.beforeListen?.(app);
  await app.listen(0, '127.0.0.1');
  return {
    app,
    url: await app.getUrl(),
    logs,
    nextLog: (match) =>
      new Promise((resolve) => {
        const seen = logs.find(match);
        if (seen) resolve(seen);
        else waiters.push({ match, resolve });
      }),
    close: () => app.close(),
  };
}

/** The value of one series in Prometheus text, whatever order its labels come in. */
export function sampleOf(text: string, name: string, labels: Record<string, string> = {}): number | undefined {
  for (const line of text.split('\n')) {
    const m = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!m || m[1] !== name) continue;
    const got = Object.fromEntries([...(m[2] ?? '').matchAll(/(\w+)="([^"]*)"/g)].map(([, k, v]) => [k, v]));
    if (Object.entries(labels).every(([k, v]) => got[k] === v)) return Number(m[3]);
  }
  return undefined;
}

/** A response body as JSON, loosely typed for assertions. */
export async function jsonOf(res: Response): Promise<any> {
  return res.json();
}
