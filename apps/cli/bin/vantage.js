#!/usr/bin/env node
// `vantage`: the command line of Vantage's public API, for labs, agencies, analysts and operators (apps/cli/src).
'use strict';
// The repository's one TypeScript loader (swc, with the tsconfig paths), as every service's start command uses it.
// eslint-disable-next-line @nx/enforce-module-boundaries
require('../../launcher/src/register.js');
require('../src/main.ts')
  .main(process.argv.slice(2))
  .then((code) => process.exit(code));
