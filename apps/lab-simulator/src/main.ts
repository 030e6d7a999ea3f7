// Runs one simulator as a demo lab's model endpoint. It holds no state worth saving, so stopping is immediate.
import { loadLabSimulatorConfig, simulatorOptionsFrom } from './config';
import { createLabSimulator } from './simulator';

/** close() drops every open request at once, so this only guards against a stuck socket. */
const STOP_GRACE_MS = 5000;

export async function main(env: Record<string, string | undefined> = process.env): Promise<void> {
  const config = loadLabSimulatorConfig(env);
  const simulator = createLabSimulator(simulatorOptionsFrom(config));
  const { url } = await simulator.listen(config.LAB_SIM_PORT, config.LAB_SIM_HOST);
  const b = simulator.behaviour;
  // One JSON line like the services' pino logs; the API key stays out of logs even when it is the demo one.
  process.stdout.write(
    `${JSON.stringify({
      level: 'info',
      time: new Date().toISOString(),
      service: 'lab-simulator',
      msg: 'listening',
      url,
      endpoint: `${url}/v1/chat/completions`,
      models: b.models,
      latencyMs: b.latencyMs,
      skill: b.skill,
      rate429: b.rate429,
      rate500: b.rate500,
      rateHang: b.rateHang,
      seed: b.seed,
    })}\n`,
  );
  let stopping = false;
  // `on`, not `once`: a second signal while closing must not fall through to the default (exit 143).
  const stop = () => {
    if (stopping) return;
    stopping = true;
    setTimeout(() => process.exit(0), STOP_GRACE_MS).unref();
    simulator.close().then(
      () => process.exit(0),
      (e) => {
        process.stderr.write(`lab-simulator failed to stop: ${(e as Error).stack ?? e}\n`);
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

if (require.main === module) {
  main().catch((e) => {
    process.stderr.write(`lab-simulator failed to start: ${(e as Error).stack ?? e}\n`);
    process.exit(1);
  });
}
