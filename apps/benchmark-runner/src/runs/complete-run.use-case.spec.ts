import { EntityManager } from 'typeorm';
import { Clock } from '@vantage/clock';
import { BenchRunCompleted } from '@vantage/contracts';
import { CompleteRunUseCase } from './complete-run.use-case';
import { DecideClassificationUseCase } from './decide-classification.use-case';
import { RunRow } from './run';
import { RunStore } from './run-store';

const NOW = new Date('2026-11-26T00:00:00Z');
const tx = {} as EntityManager;

function world(running: boolean) {
  const calls: unknown[][] = [];
  const runs = {
    complete: async (...args: unknown[]) => (calls.push(['complete', ...args.slice(1)]), running),
    run: async (_tx: EntityManager, id: string) => ({ id }) as RunRow,
    publish: async (_tx: EntityManager, def: unknown, row: RunRow) => void calls.push(['publish', def, row.id]),
  };
  const decide = { execute: async (command: unknown, t: EntityManager) => void calls.push(['decide', command, t]) };
  const useCase = new CompleteRunUseCase(runs as unknown as RunStore, decide as unknown as DecideClassificationUseCase, { now: () => NOW } as Clock);
  return { useCase, calls };
}

describe('CompleteRunUseCase (unit)', () => {
  const score = { accuracy: 0.9, lower: 0.8, upper: 0.95, method: 'wilson' as const };
  const canary = { known: false, matched: 0.1, errored: false };

  it('completes the run with its score and canary check, tells it completed, and decides if it was the last', async () => {
    const w = world(true);
    await w.useCase.execute({ runId: 'run', submissionId: 'sub', score, canary }, tx);
    expect(w.calls).toEqual([
      ['complete', 'run', NOW, score, canary], ['publish', BenchRunCompleted, 'run'], ['decide', { submissionId: 'sub' }, tx],
    ]);
  });

  it('leaves a run aborted meanwhile as it is', async () => {
    const w = world(false);
    await w.useCase.execute({ runId: 'run', submissionId: 'sub' }, tx);
    expect(w.calls).toEqual([['complete', 'run', NOW, undefined, undefined]]);
  });
});
