import { checkChatRequest, isLabFailure, redactor, usageOfAnswer, usageOfLine } from './chat-completion';

describe('a chat completions request', () => {
  it('needs 1 to 1000 messages, each with a role, and a boolean stream if any', () => {
    expect(() => checkChatRequest({ messages: [{ role: 'user', content: 'hi' }], stream: true })).not.toThrow();
    expect(() => checkChatRequest([] as unknown as Record<string, unknown>)).toThrow(expect.objectContaining({ errors: [{ field: '(body)', message: 'must be an object' }] }));
    expect(() => checkChatRequest({ messages: [] })).toThrow(expect.objectContaining({ errors: [{ field: 'messages', message: 'must be an array of 1 to 1000 messages' }] }));
    expect(() => checkChatRequest({ messages: Array(1001).fill({ role: 'user' }) })).toThrow(expect.objectContaining({ status: 400 }));
    expect(() => checkChatRequest({ messages: [{ role: 'user' }, { content: 'x' }] })).toThrow(expect.objectContaining({ errors: [{ field: 'messages[1].role', message: 'must be a string' }] }));
    expect(() => checkChatRequest({ messages: [{ role: 'user' }], stream: 'yes' })).toThrow(expect.objectContaining({ errors: [{ field: 'stream', message: 'must be a boolean' }] }));
  });
});

describe("the lab's answer", () => {
  it("is the lab's failure when it is a 5xx or its own 401/403", () => {
    expect([500, 503, 401, 403].every(isLabFailure)).toBe(true);
    expect([200, 400, 404, 422, 429].some(isLabFailure)).toBe(false);
  });

  it('reports its token counts when it is JSON that has them', () => {
    expect(usageOfAnswer('{"usage":{"prompt_tokens":3,"completion_tokens":4}}')).toEqual({ prompt_tokens: 3, completion_tokens: 4 });
    expect(usageOfAnswer('{"choices":[]}')).toBeUndefined();
    expect(usageOfAnswer('not json')).toBeUndefined();
  });

  it('reports the token counts of the last stream line that has them', () => {
    const first = usageOfLine('data: {"usage":{"prompt_tokens":3}}', undefined);
    expect(first).toEqual({ prompt_tokens: 3 });
    expect(usageOfLine('data: {"choices":[]}', first)).toBe(first);
    expect(usageOfLine('data: {"usage": broken', first)).toBe(first);
    expect(usageOfLine('event: x "usage"', first)).toBe(first);
  });

  it("never carries the lab's credential", () => {
    expect(redactor('sk-secret')('a sk-secret b sk-secret')).toBe('a [REDACTED] b [REDACTED]');
  });
});
