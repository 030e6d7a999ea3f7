import { ConfigError } from '@vantage/config';
import { loadLabSimulatorConfig, simulatorOptionsFrom } from './config';

describe('lab simulator config', () => {
  it('runs as the demo lab with no environment at all', () => {
    const options = simulatorOptionsFrom(loadLabSimulatorConfig({}));
    expect(options).toEqual({
      apiKey: 'sk-lab-simulator-demo',
      models: ['acme-frontier-2026-12'],
      latencyMs: 50,
      latencyJitterMs: 0,
      skill: 0.9,
      rate429: 0,
      rate500: 0,
      rateHang: 0,
      retryAfterSeconds: 1,
      streamChunkDelayMs: 0,
      knownCanaries: [],
    });
  });

  it('reads numbers, lists and the seed from the environment', () => {
    const config = loadLabSimulatorConfig({
      LAB_SIM_PORT: '0',
      LAB_SIM_MODELS: 'a-1, b-2',
      LAB_SIM_SKILL: '0.2',
      LAB_SIM_RATE_429: '0.3',
      LAB_SIM_SEED: '1234',
      LAB_SIM_KNOWN_CANARIES: 'CANARY-aaa,CANARY-bbb',
    });
    const options = simulatorOptionsFrom(config);
    expect(config.LAB_SIM_PORT).toBe(0);
    expect(options).toMatchObject({ models: ['a-1', 'b-2'], skill: 0.2, rate429: 0.3, seed: 1234, knownCanaries: ['CANARY-aaa', 'CANARY-bbb'] });
  });

  it('refuses a skill outside 0..1, a non-numeric seed and an empty model list, naming each variable', () => {
    try {
      loadLabSimulatorConfig({ LAB_SIM_SKILL: '1.5', LAB_SIM_SEED: 'abc', LAB_SIM_MODELS: ' , ' });
    } catch (e) {
      expect(e).toBeInstanceOf(ConfigError);
      expect((e as ConfigError).problems.map((p) => p.variable).sort()).toEqual(['LAB_SIM_MODELS', 'LAB_SIM_SEED', 'LAB_SIM_SKILL']);
    }
    expect.assertions(2);
  });
});
