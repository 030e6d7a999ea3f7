// Starts the notifier in-process against a test environment, allowed to deliver to loopback receivers.
import { RunningService, TestEnvironment } from '@vantage/testing';
import { AppModule, loadNotifierConfig, NOTIFIER } from '../src';

export function startNotifier(env: TestEnvironment, overrides: Record<string, unknown> = {}): Promise<RunningService> {
  return env.start(NOTIFIER, {
    loadConfig: (e) => loadNotifierConfig(e),
    module: (c, o) => AppModule.forRoot(c, o),
    overrides: { OUTBOUND_ALLOWED_HOSTS: '127.0.0.1,localhost', ...overrides },
  });
}
