// A suite uploaded as JSON Lines, read as it arrives: line 1 the suite's metadata, then one item per line (blank
// lines skipped), each through the gateway's one validation with its problems named by line. Sizes are bounded.
import { Readable } from 'node:stream';
import { DomainError, FieldProblem, InputInvalidError, SuiteItemInput, SuiteMetadataInput } from '@vantage/contracts';
import { createValidationPipe, ValidationFailedException } from '@vantage/runtime';
import { LabelledItem } from './upload-suite.use-case';

/** A JSONL upload larger than this is refused (413): 50,000 items of a few kilobytes each fit many times over. */
export const SUITE_UPLOAD_MAX_BYTES = 512 * 1024 * 1024;
/** A longer line cannot be a valid item (input ≤ 20,000 characters, 26 choices ≤ 2,000 each). */
const MAX_LINE_BYTES = 1024 * 1024;

const pipe = createValidationPipe();

/**
 * The suite's metadata (line 1, checked now) and its items (checked as they are read). The caller resumes `body`
 * when it is done with it: a refusal part-way leaves the rest unread, and Node does not drain a request it has begun
 * to read (it would stall the connection); discarded as it arrives, the answer goes out and the connection lives.
 */
export async function readJsonlSuite(body: Readable): Promise<{ metadata: SuiteMetadataInput; items: AsyncIterable<LabelledItem> }> {
  const lines = jsonlLines(body)[Symbol.asyncIterator]();
  const first = await lines.next();
  if (first.done) throw new InputInvalidError('the upload is empty', [{ field: 'line 1', message: 'must hold the suite metadata' }]);
  const metadata = await checkLine(SuiteMetadataInput, first.value);
  const rest = { [Symbol.asyncIterator]: () => lines };
  async function* items(): AsyncGenerator<LabelledItem> {
    for await (const line of rest) yield { item: await checkLine(SuiteItemInput, line), label: `line ${line.number}` };
  }
  return { metadata, items: items() };
}

/** One line through the gateway's one validation, with its problems named by line. */
async function checkLine<T extends object>(cls: new () => T, line: { number: number; text: string }): Promise<T> {
  const label = `line ${line.number}`;
  let value: unknown;
  try {
    value = JSON.parse(line.text);
  } catch {
    throw new InputInvalidError(`${label} is not JSON`, [{ field: label, message: 'is not JSON' }]);
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new InputInvalidError(`${label} is not a JSON object`, [{ field: label, message: 'must be a JSON object' }]);
  }
  try {
    return (await pipe.transform(value, { type: 'body', metatype: cls })) as T;
  } catch (e) {
    if (!(e instanceof ValidationFailedException)) throw e;
    const problems: FieldProblem[] = e.problems.map((p) => ({ field: `${label}.${p.field === '(body)' ? '' : p.field}`.replace(/\.$/, ''), message: p.message }));
    throw new InputInvalidError(`${label}: ${problems.map((p) => `${p.field.slice(label.length + 1) || 'it'} ${p.message}`).join('; ')}`, problems);
  }
}

/** The non-blank lines of a stream with their 1-based numbers, read as they arrive; sizes are bounded. */
export async function* jsonlLines(body: Readable): AsyncGenerator<{ number: number; text: string }> {
  let pending: Buffer = Buffer.alloc(0);
  let number = 0;
  let total = 0;
  const emit = (raw: Buffer) => {
    number++;
    let text = raw.toString('utf8');
    if (number === 1 && text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    if (text.endsWith('\r')) text = text.slice(0, -1);
    return text.trim() ? { number, text } : undefined;
  };
  // Not destroyed when reading stops early (a refused line): the server then discards the rest of the body and
  // answers on a connection that stays usable.
  for await (const chunk of body.iterator({ destroyOnReturn: false }) as AsyncIterable<Buffer>) {
    total += chunk.length;
    if (total > SUITE_UPLOAD_MAX_BYTES) throw new DomainError('body_too_large', 413, `a suite upload may be at most ${SUITE_UPLOAD_MAX_BYTES} bytes`);
    pending = pending.length ? Buffer.concat([pending, chunk]) : chunk;
    let start = 0;
    for (let nl = pending.indexOf(10, start); nl >= 0; nl = pending.indexOf(10, start)) {
      const line = emit(pending.subarray(start, nl));
      start = nl + 1;
      if (line) yield line;
    }
    pending = pending.subarray(start);
    if (pending.length > MAX_LINE_BYTES) {
      throw new InputInvalidError(`line ${number + 1} is longer than ${MAX_LINE_BYTES} bytes`, [{ field: `line ${number + 1}`, message: `is longer than ${MAX_LINE_BYTES} bytes` }]);
    }
  }
  if (pending.length) {
    const line = emit(pending);
    if (line) yield line;
  }
}
