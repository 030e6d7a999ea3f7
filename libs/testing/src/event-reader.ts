// Reads what services published to a test's streams, straight from JetStream storage, in stream order.
import { NatsConnection, StoredMsg } from 'nats';
import { EventEnvelope } from '@vantage/contracts';

export interface PublishedMessage {
  subject: string;
  streamSequence: number;
  headers: Record<string, string>;
  body: string;
}

/** NATS subject matching: `*` is one token, `>` the rest. */
export function subjectMatches(pattern: string, subject: string): boolean {
  const p = pattern.split('.');
  const s = subject.split('.');
  for (let i = 0; i < p.length; i++) {
    if (p[i] === '>') return s.length > i;
    if (i >= s.length || (p[i] !== '*' && p[i] !== s[i])) return false;
  }
  return p.length === s.length;
}

export async function readStream(nc: NatsConnection, stream: string, filterSubject?: string): Promise<PublishedMessage[]> {
  const jsm = await nc.jetstreamManager();
  const { state } = await jsm.streams.info(stream);
  const out: PublishedMessage[] = [];
  if (state.messages === 0) return out;
  for (let seq = state.first_seq; seq <= state.last_seq; seq++) {
    let m: StoredMsg;
    try {
      m = await jsm.streams.getMessage(stream, { seq });
    } catch {
      continue; // deleted
    }
    if (filterSubject && !subjectMatches(filterSubject, m.subject)) continue;
    const headers: Record<string, string> = {};
    for (const [k, v] of m.header ?? []) headers[k] = v.join(',');
    out.push({ subject: m.subject, streamSequence: m.seq, headers, body: new TextDecoder().decode(m.data) });
  }
  return out;
}

export async function readEvents<T = unknown>(nc: NatsConnection, stream: string, filterSubject?: string): Promise<EventEnvelope<T>[]> {
  return (await readStream(nc, stream, filterSubject)).map((m) => JSON.parse(m.body) as EventEnvelope<T>);
}
