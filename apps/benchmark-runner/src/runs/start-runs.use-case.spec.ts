import { EntityManager } from 'typeorm';
import { Clock } from '@vantage/clock';
import { BenchRunStarted, GetSubmissionFacts } from '@vantage/contracts';
import { RpcClient } from '@vantage/messaging';
import { SubmissionStore } from '../submissions/submission-store';
import { SuiteRow } from '../suites/suite';
import { SuiteStore } from '../suites/suite-store';
import { DecideClassificationUseCase } from './decide-classification.use-case';
import { RunRow } from './run';
import { RunExecutor } from './run-executor';
import { RunStore } from './run-store';
import { StartRunsUseCase } from './start-runs.use-case';

const NOW = new Date('2026-11-26T00:00:00Z');
const tx = {} as EntityManager;
const suite = (id: string) => ({ id, item_count: 10, epochs: 2 }) as SuiteRow;

function world(opts: { known: boolean; suites: string[]; existing?: string[]; intakeDown?: Error }) {
  const calls: unknown[][] = [];
  const submissions = {
    isKnown: async () => opts.known,
    record: async (_tx: EntityManager, facts: unknown, at: Date) => void calls.push(['record', facts, at]),
  };
  const suites = { activeSuites: async () => opts.suites.map(suite) };
  const runs = {
    start: async (_tx: EntityManager, submissionId: string, s: SuiteRow, now: Date) => {
      calls.push(['start', submissionId, s.id, now]);
      return opts.existing?.includes(s.id) ? undefined : ({ id: `run-${s.id}` } as RunRow);
    },
    publish: async (_tx: EntityManager, def: unknown, row: RunRow) => void calls.push(['publish', def, row.id]),
  };
  const decide = { execute: async (command: unknown, t: EntityManager) => void calls.push(['decide', command, t]) };
  const executor = { wake: () => void calls.push(['wake']) };
  const rpc = {
    request: async (def: unknown, body: unknown) => {
      if (opts.intakeDown) throw opts.intakeDown;
      calls.push(['rpc', def, body]);
      return { submissionId: 'sub', labId: 'lab', declaredTrainingFlop: 2e26 };
    },
  };
  const useCase = new StartRunsUseCase(
    suites as unknown as SuiteStore, runs as unknown as RunStore, submissions as unknown as SubmissionStore, decide as unknown as DecideClassificationUseCase,
    executor as unknown as RunExecutor, rpc as unknown as RpcClient, { now: () => NOW } as Clock,
  );
  return { useCase, calls };
}

describe('StartRunsUseCase (unit)', () => {
  it('starts a run per active suite, tells each started, decides if it can, and wakes the executor', async () => {
    const w = world({ known: true, suites: ['a', 'b'] });
    await w.useCase.execute({ submissionId: 'sub' }, tx);
    expect(w.calls).toEqual([
      ['start', 'sub', 'a', NOW], ['publish', BenchRunStarted, 'run-a'], ['start', 'sub', 'b', NOW], ['publish', BenchRunStarted, 'run-b'],
      ['decide', { submissionId: 'sub' }, tx], ['wake'],
    ]);
  });

  it('tells nothing of a run the submission had already (a redelivery)', async () => {
    const w = world({ known: true, suites: ['a'], existing: ['a'] });
    await w.useCase.execute({ submissionId: 'sub' }, tx);
    expect(w.calls.map((c) => c[0])).toEqual(['start', 'decide', 'wake']);
  });

  it('asks intake for the submission when the window outran intake\'s event, before any run', async () => {
    const w = world({ known: false, suites: [] });
    await w.useCase.execute({ submissionId: 'sub' }, tx);
    expect(w.calls.slice(0, 2)).toEqual([
      ['rpc', GetSubmissionFacts, { submissionId: 'sub' }],
      ['record', { submissionId: 'sub', labId: 'lab', declaredTrainingFlop: 2e26 }, NOW],
    ]);
    expect(w.calls.map((c) => c[0])).toEqual(['rpc', 'record', 'decide', 'wake']);
  });

  it('starts nothing if intake cannot answer: the event is retried', async () => {
    const down = new Error('intake unavailable');
    const w = world({ known: false, suites: ['a'], intakeDown: down });
    await expect(w.useCase.execute({ submissionId: 'sub' }, tx)).rejects.toBe(down);
    expect(w.calls).toEqual([]);
  });
});
