import { ServiceConfig } from '@vantage/config';
import { ServiceName } from '@vantage/persistence';

export interface MessagingOptions {
  /** The service this process is; it names durable consumers, queue groups and the dead-letter subject. */
  service: ServiceName;
  config: ServiceConfig;
}

export const MESSAGING_OPTIONS = Symbol('MESSAGING_OPTIONS');
