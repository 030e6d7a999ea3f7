// Maps the tsconfig path aliases (@vantage/*) for jest, so tests resolve libraries as the compiler does.
const fs = require('node:fs');
const path = require('node:path');

const { compilerOptions } = JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', '..', 'tsconfig.base.json'), 'utf8'));

function pathsToModuleNameMapper() {
  const mapper = {};
  for (const [alias, [target]] of Object.entries(compilerOptions.paths)) {
    mapper[`^${alias.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}$`] = `<rootDir>/${target}`;
  }
  return mapper;
}

module.exports = { pathsToModuleNameMapper };
