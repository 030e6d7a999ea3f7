// An agency's commands: the windows it holds grants for, a conversation with a model through the gateway (the lab's
// credential never leaves Vantage), and the benchmark runs it is cleared to see, as a table or watched live.
import { createInterface } from 'node:readline';
import { Command } from 'commander';
import { createParser } from 'eventsource-parser';
import { SingleBar, MultiBar, Presets } from 'cli-progress';
import { unwrap, VantageApiError } from '@vantage/client';
import type { Context } from '../main';
import { table } from '../output';
import { UsageError } from '../profiles';

interface ChatMessage {
  role: 'system' | 'user' | 'assistant';
  content: string;
}

/** One exchange with the model: streamed (tokens printed as they come) or whole. */
async function ask(c: Context, submissionId: string, messages: ChatMessage[], opts: { stream: boolean; write: (s: string) => void; extra?: Record<string, unknown> }): Promise<{ content: string; answer?: unknown }> {
  const { url, apiKey } = c.profile();
  const response = await fetch(`${url.replace(/\/+$/, '')}/v1/access/${encodeURIComponent(submissionId)}/chat/completions`, {
    method: 'POST',
    headers: { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json', accept: opts.stream ? 'text/event-stream' : 'application/json' },
    body: JSON.stringify({ messages, ...(opts.stream ? { stream: true } : {}), ...opts.extra }),
    signal: c.signal,
  });
  if (!response.ok) {
    const problem = (await response.json().catch(() => ({}))) as Record<string, unknown>;
    throw new VantageApiError(response.status, { status: response.status, ...problem });
  }
  if (!opts.stream) {
    const answer = (await response.json()) as { choices?: { message?: { content?: string } }[] };
    const content = answer.choices?.[0]?.message?.content ?? '';
    opts.write(content);
    return { content, answer };
  }
  let content = '';
  let failed: string | undefined;
  const parser = createParser({
    onEvent: (e) => {
      if (e.data === '[DONE]') return;
      const chunk = JSON.parse(e.data) as { choices?: { delta?: { content?: string } }[]; error?: { message?: string } };
      if (chunk.error) failed = chunk.error.message ?? 'the model failed';
      const piece = chunk.choices?.[0]?.delta?.content ?? '';
      content += piece;
      opts.write(piece);
    },
  });
  const decoder = new TextDecoder();
  for await (const part of response.body as unknown as AsyncIterable<Uint8Array>) parser.feed(decoder.decode(part, { stream: true }));
  if (failed) throw new VantageApiError(502, { status: 502, code: 'model_stream_failed', detail: failed });
  return { content };
}

export function registerAccess(program: Command, ctx: () => Context): void {
  program
    .command('windows')
    .description('Access windows: an agency sees those it holds a grant for')
    .option('--state <state>', 'scheduled, open, closed or cancelled')
    .action(async (opts: { state?: string }) => {
      const c = ctx();
      const page = await unwrap(c.client().GET('/v1/windows', { params: { query: opts.state ? { state: opts.state as 'open' } : {} } }));
      const items = page.items;
      c.out.result(page, () => (items.length ? table(['SUBMISSION', 'STATE', 'OPENS', 'CLOSES'], items.map((w) => [w.submissionId, w.state, w.opensAt, w.closesAt])) : 'no windows'));
    });

  program
    .command('chat <submissionId>')
    .description("Talk to a model through the gateway while its window is open and you hold a grant; without --message, a conversation on the terminal (Ctrl-D ends it)")
    .option('-m, --message <text>', 'one question: print the answer and exit')
    .option('--system <text>', 'a system message first')
    .option('--no-stream', 'wait for the whole answer instead of printing it as it comes')
    .option('--max-tokens <n>', 'the most tokens of an answer', (v) => Number(v))
    .action(async (submissionId: string, opts: { message?: string; system?: string; stream: boolean; maxTokens?: number }) => {
      const c = ctx();
      const history: ChatMessage[] = opts.system ? [{ role: 'system', content: opts.system }] : [];
      const extra = opts.maxTokens ? { max_tokens: opts.maxTokens } : {};
      if (opts.message !== undefined) {
        history.push({ role: 'user', content: opts.message });
        if (c.out.json) {
          const { content, answer } = await ask(c, submissionId, history, { stream: false, write: () => undefined, extra });
          c.out.result(answer ?? { content }, () => content);
        } else {
          await ask(c, submissionId, history, { stream: opts.stream, write: (s) => process.stdout.write(s), extra });
          process.stdout.write('\n');
        }
        return;
      }
      if (!c.stdin.isTTY && c.out.json) throw new UsageError('--json needs --message');
      const rl = createInterface({ input: c.stdin, output: process.stderr, terminal: !!c.stdin.isTTY });
      rl.setPrompt('you> ');
      rl.prompt();
      for await (const line of rl) {
        if (line.trim()) {
          history.push({ role: 'user', content: line });
          process.stdout.write('model> ');
          const { content } = await ask(c, submissionId, history, { stream: opts.stream, write: (s) => process.stdout.write(s), extra });
          process.stdout.write('\n');
          history.push({ role: 'assistant', content });
        }
        if (c.signal.aborted) break;
        rl.prompt();
      }
      rl.close();
    });

  const runs = program.command('runs').description('Benchmark runs of a model (operators, and agencies granted on its window for the suites their clearance covers)');
  runs
    .command('list <submissionId>')
    .action(async (id: string) => {
      const c = ctx();
      const page = await unwrap(c.client().GET('/v1/submissions/{id}/runs', { params: { path: { id } } }));
      const items = page.items;
      c.out.result(page, () =>
        items.length
          ? table(['SUITE', 'STATE', 'DONE', 'ACCURACY', '95% INTERVAL'], items.map((r) => [
              `${r.suite.name}@${r.suite.version}`, r.state, `${r.correct + r.wrong + r.errored}/${r.total}`,
              r.accuracy === undefined ? '' : r.accuracy.toFixed(3), r.lower === undefined || r.upper === undefined ? '' : `${r.lower.toFixed(3)}–${r.upper.toFixed(3)}`,
            ]))
          : 'no runs you may see',
      );
    });
  runs
    .command('watch <submissionId>')
    .description('Follow the runs with a progress bar each until every one completed or was aborted')
    .option('--interval <seconds>', 'how often to look (default 2)', (v) => Number(v), 2)
    .action(async (id: string, opts: { interval: number }) => {
      const c = ctx();
      const bars = new Map<string, SingleBar>();
      const multi = c.out.json ? undefined : new MultiBar({ format: '{suite} [{bar}] {value}/{total} {state}', hideCursor: true, stream: process.stderr }, Presets.shades_classic);
      try {
        for (;;) {
          const page = await unwrap(c.client().GET('/v1/submissions/{id}/runs', { params: { path: { id } } }));
          const items = page.items;
          for (const r of items) {
            const done = r.correct + r.wrong + r.errored;
            if (c.out.json) c.out.result({ runId: r.runId, suite: r.suite.name, state: r.state, done, total: r.total }, () => '');
            else {
              const bar = bars.get(r.runId) ?? multi!.create(r.total, 0, { suite: `${r.suite.name}@${r.suite.version}`, state: r.state });
              bars.set(r.runId, bar);
              bar.update(done, { state: r.state });
            }
          }
          if (items.length > 0 && items.every((r) => r.state !== 'running')) {
            multi?.stop();
            if (!c.out.json) for (const r of items) process.stdout.write(`${r.suite.name}@${r.suite.version}: ${r.state}${r.accuracy === undefined ? '' : `, accuracy ${r.accuracy.toFixed(3)}`}\n`);
            return;
          }
          await new Promise((resolve) => setTimeout(resolve, opts.interval * 1000));
          if (c.signal.aborted) return;
        }
      } finally {
        multi?.stop();
      }
    });
}
