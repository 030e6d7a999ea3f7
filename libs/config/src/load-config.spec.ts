import { IsInt, Min } from 'class-validator';
import { ConfigError, loadConfig } from './load-config';
import { ServiceConfig } from './service-config';

class SampleConfig extends ServiceConfig {
  @IsInt() @Min(1)
  SAMPLE_LIMIT = 7;
}

describe('loadConfig', () => {
  it('takes defaults, then environment values converted to their types', () => {
    const config = loadConfig(SampleConfig, { SAMPLE_LIMIT: '42', OUTBOX_RELAY_ENABLED: 'false' });
    expect(config.SAMPLE_LIMIT).toBe(42);
    expect(config.OUTBOX_RELAY_ENABLED).toBe(false);
    expect(config.NATS_URL).toBe('nats://127.0.0.1:4222');
  });

  it('refuses a bad setting and names the variable', () => {
    expect(() => loadConfig(SampleConfig, { SAMPLE_LIMIT: '0', DATABASE_URL: 'mysql://x' })).toThrow(ConfigError);
    try {
      loadConfig(SampleConfig, { SAMPLE_LIMIT: 'lots' });
    } catch (e) {
      expect((e as ConfigError).problems.map((p) => p.variable)).toEqual(['SAMPLE_LIMIT']);
      expect((e as Error).message).toContain('SAMPLE_LIMIT');
    }
    expect.assertions(3);
  });
});
