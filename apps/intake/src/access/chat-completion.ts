// What the gateway reads in a brokered chat completion, pure: the request's shape, the token counts of an answer,
// the lab's failures, and the lab's credential kept out of whatever the agency is sent.
import { InputInvalidError } from '@vantage/contracts';

export interface TokenUsage {
  prompt_tokens?: number;
  completion_tokens?: number;
}

/** A chat completions request: an object with 1 to 1000 messages, each with a role; `stream` a boolean if given. */
export function checkChatRequest(body: Record<string, unknown>): void {
  if (!body || typeof body !== 'object' || Array.isArray(body)) {
    throw new InputInvalidError('the body must be a chat completions request', [{ field: '(body)', message: 'must be an object' }]);
  }
  const messages = body.messages;
  if (!Array.isArray(messages) || messages.length === 0 || messages.length > 1000) {
    throw new InputInvalidError('messages must be a non-empty array', [{ field: 'messages', message: 'must be an array of 1 to 1000 messages' }]);
  }
  messages.forEach((m, i) => {
    if (!m || typeof m !== 'object' || typeof (m as { role?: unknown }).role !== 'string') {
      throw new InputInvalidError(`messages[${i}] is not a message`, [{ field: `messages[${i}].role`, message: 'must be a string' }]);
    }
  });
  if (body.stream !== undefined && typeof body.stream !== 'boolean') {
    throw new InputInvalidError('stream must be a boolean', [{ field: 'stream', message: 'must be a boolean' }]);
  }
}

/** The lab's own auth failures are the lab's problem, not the agency's: with its 5xx, the gateway's 502. */
export function isLabFailure(status: number): boolean {
  return status >= 500 || status === 401 || status === 403;
}

/** The token counts of a whole answer, when it is JSON that reports them. */
export function usageOfAnswer(text: string): TokenUsage | undefined {
  try {
    return JSON.parse(text).usage;
  } catch {
    return undefined;
  }
}

/** The token counts a line of a stream reports (`data: {…"usage"…}`), else `previous`. */
export function usageOfLine(line: string, previous: TokenUsage | undefined): TokenUsage | undefined {
  if (!line.startsWith('data: ') || !line.includes('"usage"')) return previous;
  try {
    return JSON.parse(line.slice(6)).usage ?? previous;
  } catch {
    return previous; // not JSON: passed through as it is
  }
}

/** Replaces every occurrence of the lab's credential. */
export function redactor(secret: string): (text: string) => string {
  return (text) => text.split(secret).join('[REDACTED]');
}
