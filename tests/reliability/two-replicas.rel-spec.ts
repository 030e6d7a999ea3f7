// Two replicas of every service under the same kind of load, and one replica of each killed (kill -9) in turn at a
// seeded moment and restarted (the next may die before the last is back): the other replica carries on (the client
// fails over between the two gateways), and afterwards nothing is lost, nothing happened twice, nothing is stuck,
// nothing was dead-lettered.
import { mulberry32 } from '@vantage/apps/lab-simulator';
import { SERVICE_NAMES } from '@vantage/persistence';
import { enrolProgramme, killService, loadSettings, ReliabilityWorld, shuffle } from './support/reliability-world';

jest.setTimeout(900_000);

describe('faults: two replicas of every service', () => {
  const load = loadSettings();
  let world: ReliabilityWorld | undefined;

  beforeAll(async () => {
    world = await ReliabilityWorld.start({ name: 'two-replicas', replicas: 2, natsNodes: 1 });
    await enrolProgramme(world);
  });
  afterAll(async () => {
    await world?.dispose();
  });

  it('loses no event and repeats no effect while replicas share the work and one of each is killed', async () => {
    const w = world!;
    const rng = mulberry32(load.seed);
    // One replica of each service dies in turn; the next may die while an earlier one is still starting up.
    const faults = shuffle(SERVICE_NAMES.map((s) => killService(s, true)), rng);
    const { problems, figures } = await w.runScenario(load, faults, rng);
    expect(problems).toEqual([]);
    expect(figures.lost).toBe(0);
    expect(figures.duplicatedEffects).toBe(0);
    expect(w.stats.faults).toHaveLength(faults.length);
  });
});
