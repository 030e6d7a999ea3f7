import { IsInt, Min } from 'class-validator';
import { ConfigError, loadConfig } from './load-config';
import { PLACEHOLDER_BUS_SETTINGS, ServiceConfig } from './service-config';

class SampleConfig extends ServiceConfig {
  @IsInt() @Min(1)
  SAMPLE_LIMIT = 7;
}

// The settings every service must be given: its NATS credentials and its identity.
const REQUIRED = PLACEHOLDER_BUS_SETTINGS;

describe('loadConfig', () => {
  it('takes defaults, then environment values converted to their types', () => {
    const config = loadConfig(SampleConfig, { ...REQUIRED, SAMPLE_LIMIT: '42', OUTBOX_RELAY_ENABLED: 'false' });
    expect(config.SAMPLE_LIMIT).toBe(42);
    expect(config.OUTBOX_RELAY_ENABLED).toBe(false);
    expect(config.NATS_URL).toBe('nats://127.0.0.1:4222');
  });

  it('refuses a bad setting and names the variable', () => {
    expect(() => loadConfig(SampleConfig, { ...REQUIRED, SAMPLE_LIMIT: '0', DATABASE_URL: 'mysql://x' })).toThrow(ConfigError);
    try {
      loadConfig(SampleConfig, { ...REQUIRED, SAMPLE_LIMIT: 'lots' });
    } catch (e) {
      expect((e as ConfigError).problems.map((p) => p.variable)).toEqual(['SAMPLE_LIMIT']);
      expect((e as Error).message).toContain('SAMPLE_LIMIT');
    }
    expect.assertions(3);
  });

  it('refuses to start without NATS credentials or an identity, naming each setting', () => {
    try {
      loadConfig(SampleConfig, {});
    } catch (e) {
      expect((e as ConfigError).problems.map((p) => p.variable).sort()).toEqual(['NATS_CREDS_FILE', 'VANTAGE_IDENTITY_KEY', 'VANTAGE_SERVICE_KEYS']);
    }
    expect.assertions(1);
  });
});
