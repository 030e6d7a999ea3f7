import { redactor } from './chat-completion';
import { sseRelay } from './sse-relay';

async function read(stream: NodeJS.ReadableStream): Promise<string> {
  let text = '';
  for await (const chunk of stream) text += chunk.toString();
  return text;
}

describe('the relay of a streamed answer', () => {
  it('passes whole lines on, redacted even when the credential is split across chunks, and keeps the token counts', async () => {
    const relay = sseRelay(redactor('sk-secret'));
    const out = read(relay.stream);
    relay.stream.write('data: {"choices":[{"delta":{"content":"sk-se');
    relay.stream.write(Buffer.from('cret"}}]}\n\ndata: {"usage":{"prompt_tokens":2}}\n\ndata: [DONE]'));
    relay.stream.end();
    expect(await out).toBe('data: {"choices":[{"delta":{"content":"[REDACTED]"}}]}\n\ndata: {"usage":{"prompt_tokens":2}}\n\ndata: [DONE]');
    expect(relay.usage()).toEqual({ prompt_tokens: 2 });
  });

  it('ends early on an event of its own, dropping the unfinished line', async () => {
    const relay = sseRelay((t) => t);
    const out = read(relay.stream);
    relay.stream.write('data: {"a":1}\n\ndata: {"unfin');
    relay.endWith({ error: { type: 'access_ended' } });
    expect(await out).toBe('data: {"a":1}\n\ndata: {"error":{"type":"access_ended"}}\n\n');
  });
});
