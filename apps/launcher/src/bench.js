// `npm run bench -- <name>`: runs tests/bench/<name>.bench.ts (benchmarks are not tests; they print figures).
const fs = require('node:fs');
const path = require('node:path');
require('./register.js');

const dir = path.join(__dirname, '..', '..', '..', 'tests', 'bench');
const available = fs.readdirSync(dir).filter((f) => f.endsWith('.bench.ts')).map((f) => f.replace(/\.bench\.ts$/, ''));
const name = process.argv[2];
if (!name || !available.includes(name)) {
  process.stderr.write(`usage: npm run bench -- <${available.join('|')}> [options]\n`);
  process.exit(name ? 2 : 0);
}
const { main } = require(path.join(dir, `${name}.bench.ts`));
main(process.argv.slice(3)).then(
  () => process.exit(0),
  (e) => {
    process.stderr.write(`${e.stack || e}\n`);
    process.exit(1);
  },
);
