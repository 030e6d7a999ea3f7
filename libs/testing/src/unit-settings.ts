// Settings every service must be given to load its configuration (its NATS credentials file and its identity), with
// placeholder values: for unit tests that build a configuration and connect nothing.
export const PLACEHOLDER_BUS_SETTINGS: Readonly<Record<string, string>> = {
  NATS_CREDS_FILE: '/dev/null',
  VANTAGE_IDENTITY_KEY: 'a'.repeat(43),
  VANTAGE_SERVICE_KEYS: `intake:${'b'.repeat(43)}.${'c'.repeat(43)}`,
};
