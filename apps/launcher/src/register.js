// Runs TypeScript sources directly (services, scripts, benchmarks): swc compiles on load, honouring
// tsconfig paths and decorator metadata, so development and `npm start` need no separate build step.
const path = require('node:path');
process.env.SWC_NODE_PROJECT = process.env.SWC_NODE_PROJECT || path.join(__dirname, '..', '..', '..', 'tsconfig.json');
require('reflect-metadata');
require('@swc-node/register');
