// One definition per event: its CloudEvents type, its NATS subject and the class that validates its payload.
export const DOMAINS = ['intake', 'window', 'bench', 'vuln', 'notify'] as const;
export type Domain = (typeof DOMAINS)[number];

export interface EventDefinition<T extends object = object> {
  readonly domain: Domain;
  readonly entity: string;
  readonly event: string;
  readonly version: number;
  /** `gov.vantage.<domain>.<entity>.<event>.v<N>` */
  readonly type: string;
  readonly payload: new () => T;
  readonly description: string;
  /** `<prefix>.<domain>.<entity>.<event>` */
  subject(prefix: string): string;
}

const NAME = /^[a-z][a-z0-9-]*$/;

export function defineEvent<T extends object>(spec: {
  domain: Domain;
  entity: string;
  event: string;
  version: number;
  payload: new () => T;
  description: string;
}): EventDefinition<T> {
  if (!NAME.test(spec.entity) || !NAME.test(spec.event)) throw new Error(`bad event name ${spec.entity}.${spec.event}`);
  const type = `gov.vantage.${spec.domain}.${spec.entity}.${spec.event}.v${spec.version}`;
  return Object.freeze({
    ...spec,
    type,
    subject: (prefix: string) => `${prefix}.${spec.domain}.${spec.entity}.${spec.event}`,
  });
}
