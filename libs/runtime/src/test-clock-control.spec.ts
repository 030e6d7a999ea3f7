import { ShiftedClock } from '@vantage/clock';
import { ConfigError, loadConfig, PLACEHOLDER_BUS_SETTINGS, ServiceConfig } from '@vantage/config';
import { serviceClock } from './test-clock-control';

describe('VANTAGE_TEST_CLOCK', () => {
  const withTestClock = loadConfig(ServiceConfig, { ...PLACEHOLDER_BUS_SETTINGS, VANTAGE_TEST_CLOCK: 'true' });
  const without = loadConfig(ServiceConfig, PLACEHOLDER_BUS_SETTINGS);

  it('gives a movable clock only when NODE_ENV is test', () => {
    expect(serviceClock(withTestClock, { NODE_ENV: 'test' })).toBeInstanceOf(ShiftedClock);
  });

  it.each([['unset', undefined], ['development', 'development'], ['production', 'production'], ['a misspelling', 'tset'], ['empty', '']])(
    'refuses to start when NODE_ENV is %s, naming the variable',
    (_name, nodeEnv) => {
      expect(() => serviceClock(withTestClock, { NODE_ENV: nodeEnv })).toThrow(ConfigError);
      expect(() => serviceClock(withTestClock, { NODE_ENV: nodeEnv })).toThrow(/VANTAGE_TEST_CLOCK: is for tests only: it is refused unless NODE_ENV is test/);
    },
  );

  it('leaves the system clock alone when it is off, whatever NODE_ENV is', () => {
    for (const nodeEnv of [undefined, 'production', 'development', 'test']) expect(serviceClock(without, { NODE_ENV: nodeEnv })).toBeUndefined();
  });
});
