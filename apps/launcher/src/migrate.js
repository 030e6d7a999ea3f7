// `npm run migrate [-- service...]`: database setup and migrations (apps/launcher/src/start/migrate.ts).
'use strict';
require('./register.js');
require('./start/migrate').main(process.argv.slice(2)).catch((err) => {
  console.error(err);
  process.exit(1);
});
