// The OpenAI-compatible shapes of brokered access. The gateway checks only what it relies on (messages, stream) and
// passes the rest to the lab's model, whose answer it passes back: these schemas name the fields every
// OpenAI-compatible model has and stay open (additionalProperties) to the rest, which Vantage neither adds nor removes.
import type { SchemaObject } from '@nestjs/swagger/dist/interfaces/open-api-spec.interface';

const REF = '#/components/schemas/';

export const CHAT_SCHEMAS: Record<string, SchemaObject> = {
  ChatMessage: {
    type: 'object',
    required: ['role'],
    properties: {
      role: { type: 'string', example: 'user', description: 'system, user, assistant, tool, …' },
      content: { description: 'Text, or an array of content parts', oneOf: [{ type: 'string', nullable: true }, { type: 'array', items: { type: 'object', additionalProperties: true } }] },
    },
    additionalProperties: true,
  },
  ChatCompletionRequest: {
    type: 'object',
    description: "An OpenAI chat completions request. `model` may be left out: the gateway sets the lab's model id.",
    required: ['messages'],
    properties: {
      messages: { type: 'array', minItems: 1, maxItems: 1000, items: { $ref: `${REF}ChatMessage` } },
      stream: { type: 'boolean', default: false, description: 'true: the answer is a text/event-stream of chat.completion.chunk events' },
      max_tokens: { type: 'integer', minimum: 1 },
      temperature: { type: 'number', minimum: 0, maximum: 2 },
    },
    additionalProperties: true,
  },
  ChatCompletionChoice: {
    type: 'object',
    required: ['index', 'message'],
    properties: {
      index: { type: 'integer' },
      message: { $ref: `${REF}ChatMessage` },
      finish_reason: { type: 'string', nullable: true, example: 'stop' },
    },
    additionalProperties: true,
  },
  ChatCompletionUsage: {
    type: 'object',
    properties: { prompt_tokens: { type: 'integer' }, completion_tokens: { type: 'integer' }, total_tokens: { type: 'integer' } },
    additionalProperties: true,
  },
  ChatCompletion: {
    type: 'object',
    description: "The lab's model's answer, passed through (its credential, should the model echo it, is redacted).",
    required: ['id', 'object', 'choices'],
    properties: {
      id: { type: 'string' },
      object: { type: 'string', example: 'chat.completion' },
      created: { type: 'integer', description: 'Unix seconds' },
      model: { type: 'string' },
      choices: { type: 'array', items: { $ref: `${REF}ChatCompletionChoice` } },
      usage: { $ref: `${REF}ChatCompletionUsage` },
    },
    additionalProperties: true,
  },
  UpstreamError: {
    type: 'object',
    description: "The lab's model's own error for a request it refused (OpenAI style), passed through with its status.",
    required: ['error'],
    properties: {
      error: {
        type: 'object',
        properties: { message: { type: 'string' }, type: { type: 'string' }, code: { type: 'string', nullable: true } },
        additionalProperties: true,
      },
    },
    additionalProperties: true,
  },
};

export const CHAT_REQUEST_EXAMPLE = {
  messages: [
    { role: 'system', content: 'You are a careful assistant.' },
    { role: 'user', content: 'Summarise CVE-2024-3094 in two sentences.' },
  ],
  max_tokens: 200,
};

export const CHAT_COMPLETION_EXAMPLE = {
  id: 'chatcmpl-8f3a1c',
  object: 'chat.completion',
  created: 1795694400,
  model: 'acme-frontier-2026-12',
  choices: [{ index: 0, message: { role: 'assistant', content: 'A backdoor was planted in xz-utils 5.6.0 and 5.6.1 …' }, finish_reason: 'stop' }],
  usage: { prompt_tokens: 31, completion_tokens: 42, total_tokens: 73 },
};

export const CHAT_STREAM_EXAMPLE =
  'data: {"id":"chatcmpl-8f3a1c","object":"chat.completion.chunk","created":1795694400,"model":"acme-frontier-2026-12","choices":[{"index":0,"delta":{"role":"assistant","content":"A backdoor"},"finish_reason":null}]}\n\n' +
  'data: {"id":"chatcmpl-8f3a1c","object":"chat.completion.chunk","created":1795694400,"model":"acme-frontier-2026-12","choices":[{"index":0,"delta":{},"finish_reason":"stop"}],"usage":{"prompt_tokens":31,"completion_tokens":42,"total_tokens":73}}\n\n' +
  'data: [DONE]\n\n';
