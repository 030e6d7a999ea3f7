// Plain-object stand-ins for the delivery and event stores in use-case specs (unit tests: no Postgres).
import { EntityManager } from 'typeorm';
import { EventEnvelope } from '@vantage/contracts';
import { ReplayableEvent } from '../events/event-store';
import { AttemptRow, DeliveryRow, NewDelivery } from './delivery-store';

export function fakeDeliveryStore(log: { rows: DeliveryRow[]; attempts: AttemptRow[] } = { rows: [], attempts: [] }) {
  const inserted: { rows: NewDelivery[]; now: Date; replay: boolean }[] = [];
  return {
    inserted,
    async insert(_tx: EntityManager, rows: NewDelivery[], now: Date, replay: boolean) {
      inserted.push({ rows, now, replay });
      return rows.length;
    },
    async log(_m: EntityManager, _subscriptionId: string, status: string | undefined, limit: number) {
      const rows = log.rows.filter((r) => !status || r.status === status).slice(0, limit);
      return { rows, attempts: log.attempts.filter((a) => rows.some((r) => r.id === a.delivery_id)) };
    },
  };
}

export function fakeEventStore(replayable: ReplayableEvent[] = []) {
  const recorded: { events: EventEnvelope<unknown>[]; bodies: string[] }[] = [];
  return {
    recorded,
    async record(_tx: EntityManager, events: EventEnvelope<unknown>[], bodies: string[]) {
      recorded.push({ events, bodies });
    },
    async since(_m: EntityManager, since: Date, from: { time: string; id: string } | undefined, limit: number) {
      return replayable
        .filter((e) => Date.parse(e.at) >= since.getTime() && (!from || `${e.at}|${e.id}` > `${from.time}|${from.id}`))
        .slice(0, limit);
    },
  };
}

export function event(over: Partial<EventEnvelope<unknown>> & { id: string }): EventEnvelope<unknown> {
  return {
    specversion: '1.0', source: '/vantage/window', type: 'gov.vantage.window.window.opened.v1', time: '2026-12-04T09:00:00.000Z',
    subject: 'submission/1', audience: 'role:agency', datacontenttype: 'application/json', data: {}, ...over,
  } as EventEnvelope<unknown>;
}
