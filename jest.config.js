// One jest run, four kinds of test: unit (beside the code, no I/O), integration (each service or
// library against real Postgres and NATS), end-to-end (all services as separate processes), and reliability
// (faults injected under load).
const { pathsToModuleNameMapper } = require('./apps/launcher/src/jest-paths');

const swc = [
  '@swc/jest',
  {
    jsc: {
      parser: { syntax: 'typescript', decorators: true },
      transform: { legacyDecorator: true, decoratorMetadata: true },
      target: 'es2022',
      keepClassNames: true,
    },
    module: { type: 'commonjs' },
    sourceMaps: 'inline',
  },
];

const common = {
  rootDir: __dirname,
  transform: { '^.+\\.ts$': swc },
  moduleNameMapper: pathsToModuleNameMapper(),
  testEnvironment: 'node',
  setupFiles: ['reflect-metadata'],
};

module.exports = {
  projects: [
    { ...common, displayName: 'unit', testMatch: ['<rootDir>/{apps,libs}/*/src/**/*.spec.ts'] },
    { ...common, displayName: 'integration', testMatch: ['<rootDir>/{apps,libs}/*/test/**/*.int-spec.ts', '<rootDir>/tests/{integration,lint,deploy}/**/*.int-spec.ts'] },
    { ...common, displayName: 'e2e', testMatch: ['<rootDir>/tests/e2e/**/*.e2e-spec.ts'] },
    // Fault tests: services, NATS and Postgres killed under load, on private servers of their own.
    { ...common, displayName: 'reliability', testMatch: ['<rootDir>/tests/reliability/**/*.rel-spec.ts'] },
  ],
};
