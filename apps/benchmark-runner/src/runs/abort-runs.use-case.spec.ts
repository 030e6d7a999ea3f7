import { EntityManager } from 'typeorm';
import { Clock } from '@vantage/clock';
import { BenchRunAborted } from '@vantage/contracts';
import { AbortRunsUseCase } from './abort-runs.use-case';
import { DecideClassificationUseCase } from './decide-classification.use-case';
import { RunRow } from './run';
import { RunExecutor } from './run-executor';
import { RunStore } from './run-store';

const NOW = new Date('2026-11-26T00:00:00Z');
const tx = {} as EntityManager;

function world(aborted: string[], failing = false) {
  const calls: unknown[][] = [];
  const runs = {
    abortRunning: async (_tx: EntityManager, id: string, reason: string, now: Date) => {
      calls.push(['abortRunning', id, reason, now]);
      if (failing) throw new Error('database gone');
      return aborted;
    },
    run: async (_tx: EntityManager, id: string) => ({ id }) as RunRow,
    publish: async (_tx: EntityManager, def: unknown, row: RunRow) => void calls.push(['publish', def, row.id]),
  };
  const decide = { execute: async (command: unknown) => void calls.push(['decide', command]) };
  const executor = { abortSubmission: (id: string, reason: string) => void calls.push(['abortSubmission', id, reason]) };
  const useCase = new AbortRunsUseCase(
    runs as unknown as RunStore, decide as unknown as DecideClassificationUseCase, executor as unknown as RunExecutor, { now: () => NOW } as Clock,
  );
  return { useCase, calls };
}

describe('AbortRunsUseCase (unit)', () => {
  it('stops the model calls first, aborts the running runs, tells each aborted, then decides', async () => {
    const w = world(['run-1', 'run-2']);
    await w.useCase.execute({ submissionId: 'sub', reason: 'window closed (expired)' }, tx);
    expect(w.calls).toEqual([
      ['abortSubmission', 'sub', 'window closed (expired)'], ['abortRunning', 'sub', 'window closed (expired)', NOW],
      ['publish', BenchRunAborted, 'run-1'], ['publish', BenchRunAborted, 'run-2'], ['decide', { submissionId: 'sub' }],
    ]);
  });

  it('decides nothing when no run was running (they had ended, or this is a redelivery)', async () => {
    const w = world([]);
    await w.useCase.execute({ submissionId: 'sub', reason: 'window cancelled (withdrawn)' }, tx);
    expect(w.calls.map((c) => c[0])).toEqual(['abortSubmission', 'abortRunning']);
  });

  it('has stopped the model calls even when the abort cannot be written', async () => {
    const w = world([], true);
    await expect(w.useCase.execute({ submissionId: 'sub', reason: 'r' }, tx)).rejects.toThrow('database gone');
    expect(w.calls[0]).toEqual(['abortSubmission', 'sub', 'r']);
  });
});
