// `npm run nats-auth -- <init|render|tls> --out DIR`: the bus's trust for a deployment (apps/launcher/src/start/nats-auth.ts).
'use strict';
require('./register.js');
require('./start/nats-auth')
  .main(process.argv.slice(2))
  .then(
    (code) => process.exit(code),
    (err) => {
      console.error(`nats-auth: ${err.message}`);
      process.exit(1);
    },
  );
