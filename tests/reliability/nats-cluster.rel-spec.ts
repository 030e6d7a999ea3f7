// A three-node NATS cluster (three nats-server processes with JetStream, streams with 3 replicas from
// NATS_STREAM_REPLICAS), services given all three URLs: one node is killed (kill -9) mid-load and left down.
// The other two keep a quorum: nothing is lost, nothing happens twice.
import { mulberry32 } from '@vantage/apps/lab-simulator';
import { enrolProgramme, killNatsNode, loadSettings, ReliabilityWorld } from './support/reliability-world';

jest.setTimeout(900_000);

describe('faults: a three-node NATS cluster loses a node', () => {
  const load = loadSettings();
  let world: ReliabilityWorld | undefined;

  beforeAll(async () => {
    world = await ReliabilityWorld.start({ name: 'nats-cluster', replicas: 1, natsNodes: 3 });
    await enrolProgramme(world);
  });
  afterAll(async () => {
    await world?.dispose();
  });

  it('keeps every stream with 3 replicas and loses nothing when one node dies mid-load', async () => {
    const w = world!;
    const jsm = await (await w.env.nats()).jetstreamManager();
    for (const domain of ['intake', 'window', 'bench', 'vuln', 'notify', 'dlq']) {
      expect((await jsm.streams.info(w.env.streamName(domain))).config.num_replicas).toBe(3);
    }
    const rng = mulberry32(load.seed);
    const { problems, figures } = await w.runScenario(load, [killNatsNode()], rng);
    expect(problems).toEqual([]);
    expect(figures.lost).toBe(0);
    expect(figures.duplicatedEffects).toBe(0);
  });
});
