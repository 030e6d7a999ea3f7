// Faults under a steady load: each service is killed (kill -9) in turn at a seeded moment and restarted, NATS is
// killed and restarted, Postgres crashes and restarts; all on private servers. Afterwards nothing is lost,
// nothing happened twice, nothing is stuck, and nothing was dead-lettered.
import { mulberry32 } from '@vantage/apps/lab-simulator';
import { SERVICE_NAMES } from '@vantage/persistence';
import { enrolProgramme, killService, loadSettings, ReliabilityWorld, restartNats, restartPostgres, shuffle } from './support/reliability-world';

jest.setTimeout(900_000);

describe('faults: kill -9 and restart under load', () => {
  const load = loadSettings();
  let world: ReliabilityWorld | undefined;

  beforeAll(async () => {
    world = await ReliabilityWorld.start({ name: 'kill-and-restart', replicas: 1, natsNodes: 1 });
    await enrolProgramme(world);
  });
  afterAll(async () => {
    await world?.dispose();
  });

  it('loses no event and repeats no effect when every service, NATS and Postgres are killed and restarted', async () => {
    const w = world!;
    const rng = mulberry32(load.seed);
    const faults = shuffle([...SERVICE_NAMES.map((s) => killService(s)), restartNats(), restartPostgres()], rng);
    const { problems, figures } = await w.runScenario(load, faults, rng);
    expect(problems).toEqual([]);
    expect(figures.lost).toBe(0);
    expect(figures.duplicatedEffects).toBe(0);
    expect(w.stats.faults).toHaveLength(faults.length);
  });
});
