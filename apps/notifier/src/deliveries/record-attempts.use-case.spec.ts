import { DataSource, EntityManager } from 'typeorm';
import { ManualClock } from '@vantage/clock';
import { subscriptionRow } from '../subscriptions/fakes.testing';
import { SubscriptionRow } from '../subscriptions/subscription-store';
import { AttemptWrite } from './attempt-outcomes';
import { AttemptStore } from './attempt-store';
import { FinishedAttempt, RecordAttemptsUseCase } from './record-attempts.use-case';
import { ClaimedDelivery } from './webhook-sender';

const TX = {} as EntityManager;
const now = new Date('2026-12-04T10:00:00Z');

function delivery(id: string, subscriptionId: string): ClaimedDelivery {
  return { id, subscriptionId, eventId: `e-${id}`, attemptCount: 0, body: '{}', url: 'https://hooks.example/', secretSealed: 's', previousSecretSealed: null, previousSecretExpiresAt: null };
}

/** The store's writes, recorded; `settledElsewhere` names deliveries another replica settled first. */
function fakeStore(subs: SubscriptionRow[], settledElsewhere: string[] = []) {
  const calls: string[] = [];
  const store = {
    async lockEndpoints(_tx: EntityManager, ids: string[]) {
      calls.push(`lock ${ids.join(',')}`);
      return subs.filter((s) => ids.includes(s.id));
    },
    async settle(_tx: EntityManager, writes: AttemptWrite[]) {
      calls.push(`settle ${writes.map((w) => `${w.attempt.delivery.id}:${w.status}`).join(',')}`);
      return new Set(writes.map((w) => w.attempt.delivery.id).filter((id) => !settledElsewhere.includes(id)));
    },
    async setFailingSince(_tx: EntityManager, changes: { id: string; failingSince: Date | null }[]) {
      calls.push(`failing ${changes.map((c) => `${c.id}:${c.failingSince?.toISOString() ?? 'none'}`).join(',')}`);
    },
    async disable(_tx: EntityManager, sub: SubscriptionRow, reason: string) {
      calls.push(`disable ${sub.id}:${reason}`);
    },
  };
  return { store: store as unknown as AttemptStore, calls };
}

describe('RecordAttemptsUseCase', () => {
  const s1 = subscriptionRow({ id: 's1' });
  const s2 = subscriptionRow({ id: 's2' });
  const attempt = (d: ClaimedDelivery, statusCode?: number): FinishedAttempt => ({ delivery: d, outcome: { at: now, statusCode, latencyMs: 3 } });

  it('locks the endpoints, settles each delivery, starts failing streaks and disables a gone endpoint, in that order', async () => {
    const { store, calls } = fakeStore([s1, s2]);
    const useCase = new RecordAttemptsUseCase({} as DataSource, new ManualClock(now), store);
    const results = await useCase.execute({ attempts: [attempt(delivery('a', 's1'), 200), attempt(delivery('b', 's2'), 500), attempt(delivery('c', 's2'), 410)] }, TX);
    expect(results).toEqual(['succeeded', 'retrying', 'disabled']);
    expect(calls).toEqual(['lock s1,s2', 'settle a:succeeded,b:pending,c:failed', 'failing ', 'disable s2:gone']);
  });

  it('says an attempt changed nothing when another replica settled its delivery first, or its endpoint is gone', async () => {
    const { store, calls } = fakeStore([s1], ['a']);
    const useCase = new RecordAttemptsUseCase({} as DataSource, new ManualClock(now), store);
    const results = await useCase.execute({ attempts: [attempt(delivery('a', 's1'), 500), attempt(delivery('x', 'deleted'), 200)] }, TX);
    expect(results).toEqual(['gone-already', 'gone-already']);
    expect(calls).toEqual(['lock s1,deleted', 'settle a:pending', `failing s1:${now.toISOString()}`]);
  });
});
