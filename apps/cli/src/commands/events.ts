// Events: follow the live stream, forward it to a local webhook receiver as Vantage would deliver it (signed per
// Standard Webhooks, as the Svix and Hookdeck command lines do), manage webhook subscriptions, and get NATS
// credentials for the organisation's own feed. The three channels side by side: webhooks (Vantage calls you),
// the live stream (you hold a connection: `events tail`, `listen`), NATS feeds (you read a durable queue).
import { writeFileSync } from 'node:fs';
import { Command } from 'commander';
import { newWebhookSecret, signWebhook, streamEvents, unwrap, VantageEvent } from '@vantage/client';
import type { Context } from '../main';
import { table } from '../output';
import { UsageError } from '../profiles';

const list = (v: string) => v.split(',').map((s) => s.trim()).filter(Boolean);

function eventLine(e: VantageEvent): string {
  return `${e.event.time}  ${e.event.type}  ${e.event.subject ?? ''}  (#${e.id})`;
}

export function registerEvents(program: Command, ctx: () => Context): void {
  const events = program.command('events').description('The live event stream of what your organisation may see');
  events
    .command('tail')
    .description('Print events as they happen; reconnects and resumes by itself (Ctrl-C ends)')
    .option('--types <types>', 'comma list of event types or prefixes ending in * (e.g. gov.vantage.window.*)', list)
    .option('--after <eventId>', 'resume after this event (the number in # of a printed line)')
    .option('--count <n>', 'stop after this many events', (v) => Number(v))
    .action(async (opts: { types?: string[]; after?: string; count?: number }) => {
      const c = ctx();
      const { url, apiKey } = c.profile();
      let seen = 0;
      try {
        for await (const e of streamEvents({ baseUrl: url, apiKey, types: opts.types, lastEventId: opts.after, signal: c.signal, onReconnect: (why, ms) => c.out.note(`reconnecting in ${ms} ms (${why})`) })) {
          c.out.result({ sequence: e.id, event: e.event }, () => eventLine(e));
          if (opts.count !== undefined && ++seen >= opts.count) return;
        }
      } catch (e) {
        if (!c.signal.aborted) throw e;
      }
    });

  program
    .command('listen')
    .description('Receive your organisation\'s events and forward each to a local URL as a signed webhook (Standard Webhooks headers, CloudEvents body)')
    .requiredOption('--forward-to <url>', 'where to POST each event, e.g. http://localhost:8080/hook')
    .option('--types <types>', 'comma list of event types or prefixes ending in *', list)
    .option('--secret <whsec>', 'the signing secret your receiver verifies with (default: a new one, printed)')
    .option('--after <eventId>', 'resume after this event')
    .option('--count <n>', 'stop after forwarding this many events', (v) => Number(v))
    .action(async (opts: { forwardTo: string; types?: string[]; secret?: string; after?: string; count?: number }) => {
      const c = ctx();
      const target = new URL(opts.forwardTo);
      if (!['http:', 'https:'].includes(target.protocol)) throw new UsageError('--forward-to must be an http(s) URL');
      if (opts.secret !== undefined && !/^whsec_[A-Za-z0-9+/=]+$/.test(opts.secret)) throw new UsageError('--secret must be a Standard Webhooks secret (whsec_…)');
      const secret = opts.secret ?? newWebhookSecret();
      if (!opts.secret) c.out.note(`signing with ${secret} (verify with it in your receiver; pass --secret to keep it)`);
      c.out.note(`forwarding to ${target.href}…`);
      const { url, apiKey } = c.profile();
      let forwarded = 0;
      try {
        for await (const e of streamEvents({ baseUrl: url, apiKey, types: opts.types, lastEventId: opts.after, signal: c.signal, onReconnect: (why, ms) => c.out.note(`reconnecting in ${ms} ms (${why})`) })) {
          const body = JSON.stringify(e.event);
          let status: number | string;
          try {
            const res = await fetch(target, { method: 'POST', headers: { 'content-type': 'application/json', ...signWebhook(secret, e.event.id, body) }, body, signal: c.signal });
            status = res.status;
            await res.body?.cancel().catch(() => undefined);
          } catch (err) {
            if (c.signal.aborted) throw err;
            status = (err as { cause?: { code?: string } }).cause?.code ?? (err as Error).message;
          }
          c.out.result({ sequence: e.id, eventId: e.event.id, type: e.event.type, status }, () => `${eventLine(e)} → ${status}`);
          if (opts.count !== undefined && ++forwarded >= opts.count) return;
        }
      } catch (e) {
        if (!c.signal.aborted) throw e;
      }
    });

  const subs = program.command('subscriptions').alias('subs').description('Webhook subscriptions');
  subs
    .command('create')
    .requiredOption('--url <url>', 'your receiver (https)')
    .requiredOption('--types <types>', 'comma list of event types or prefixes ending in *', list)
    .action(async (opts: { url: string; types: string[] }) => {
      const c = ctx();
      const s = await unwrap(c.client().POST('/v1/subscriptions', { body: { url: opts.url, types: opts.types } }));
      c.out.result(s, () => [`subscription ${s.id} → ${s.url}`, `secret (shown once): ${s.secret}`]);
    });
  subs.command('list').action(async () => {
    const c = ctx();
    const page = await unwrap(c.client().GET('/v1/subscriptions'));
    const items = page.items;
    c.out.result(page, () => (items.length ? table(['ID', 'STATE', 'URL', 'TYPES'], items.map((s) => [s.id, s.state, s.url, s.types.join(',')])) : 'no subscriptions'));
  });
  subs.command('delete <id>').action(async (id: string) => {
    const c = ctx();
    await unwrap(c.client().DELETE('/v1/subscriptions/{id}', { params: { path: { id } } }));
    c.out.result({ deleted: id }, () => `deleted ${id}`);
  });
  subs
    .command('deliveries <id>')
    .option('--status <status>', 'only deliveries in this state (e.g. failed)')
    .action(async (id: string, opts: { status?: string }) => {
      const c = ctx();
      const page = await unwrap(c.client().GET('/v1/subscriptions/{id}/deliveries', { params: { path: { id }, query: opts.status ? { status: opts.status as 'pending' | 'succeeded' | 'failed' } : {} } }));
      const items = page.items;
      c.out.result(page, () => (items.length ? table(['EVENT', 'TYPE', 'STATUS', 'ATTEMPTS', 'LAST'], items.map((d) => {
              const last = d.attempts[d.attempts.length - 1];
              return [d.eventId, d.eventType, d.status, d.attempts.length, last ? (last.statusCode ?? last.error) : ''];
            })) : 'no deliveries'));
    });
  subs
    .command('replay <id>')
    .description('Deliver again every matching event since a time; a replay too long for one request goes on where it stopped')
    .requiredOption('--since <time>', 'deliver again every matching event since this time (RFC 3339)')
    .action(async (id: string, opts: { since: string }) => {
      const c = ctx();
      let cursor: string | undefined;
      let queued = 0;
      do {
        const r = await unwrap(c.client().POST('/v1/subscriptions/{id}/replay', { params: { path: { id } }, body: { since: opts.since, ...(cursor ? { cursor } : {}) } }));
        queued += r.queued;
        cursor = r.nextCursor;
      } while (cursor);
      c.out.result({ queued }, () => `replaying ${queued} events`);
    });
  subs.command('rotate-secret <id>').action(async (id: string) => {
    const c = ctx();
    const r = await unwrap(c.client().POST('/v1/subscriptions/{id}/rotate-secret', { params: { path: { id } } }));
    c.out.result(r, () => `new secret (shown once; the old one signs alongside for 24 hours): ${r.secret}`);
  });

  program
    .command('feeds')
    .description("Your organisation's NATS feed")
    .command('credentials')
    .description('NATS credentials to read your own feed (a .creds file, shown once, expiring)')
    .option('--consumer <name...>', 'extra durable consumer names (<orgId>_<name>)')
    .option('-o, --out <file>', 'write the .creds file here (mode 0600) instead of printing it')
    .action(async (opts: { consumer?: string[]; out?: string }) => {
      const c = ctx();
      const f = await unwrap(c.client().POST('/v1/feeds/credentials', { body: opts.consumer ? { consumers: opts.consumer } : {} }));
      if (opts.out) {
        writeFileSync(opts.out, f.creds, { mode: 0o600 });
        c.out.note(`wrote ${opts.out}`);
      }
      c.out.result(opts.out ? { ...f, creds: opts.out } : f, () => [
        `user ${f.user}, stream ${f.stream}, filter ${f.filterSubject}, consumers ${f.consumers.join(', ')}, expires ${f.expiresAt}`,
        `nats --creds <file> --inbox-prefix ${f.inboxPrefix} consumer next ${f.stream} ${f.consumers[0]}`,
        ...(opts.out ? [] : ['', f.creds]),
      ]);
    });
}
