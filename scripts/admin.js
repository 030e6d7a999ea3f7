// `npm run admin -- <command>`: the operator command line (apps/intake/src/admin/admin.cli.ts).
require('./register.js');
const { runAdmin } = require('../apps/intake/src/admin/admin.cli.ts');
runAdmin(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (e) => {
    const problems = e.errors ?? e.problems;
    const fields = problems ? `: ${problems.map((x) => `${x.field} ${x.message}`).join('; ')}` : '';
    process.stderr.write(`admin: ${e.message}${fields}\n`);
    process.exit(e.status === 2 ? 2 : 1);
  },
);
