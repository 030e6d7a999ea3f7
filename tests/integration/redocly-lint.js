// Lints an OpenAPI document read from stdin with Redocly's recommended ruleset and prints the problems as JSON.
// A child process of openapi-lint.int-spec.ts: @redocly/openapi-core is an ES module, which Node loads with
// require() but Jest's module system (on Node 20) does not.
const { createConfig, lintFromString } = require('@redocly/openapi-core');

async function main() {
  let source = '';
  for await (const chunk of process.stdin) source += chunk;
  const config = await createConfig({ extends: ['recommended'] });
  const problems = await lintFromString({ source, absoluteRef: 'openapi.json', config });
  const out = problems.map((p) => ({ severity: p.severity, ruleId: p.ruleId, message: p.message, pointer: p.location?.[0]?.pointer }));
  process.stdout.write(JSON.stringify(out));
}

main().catch((e) => {
  process.stderr.write(`${e.stack ?? e}\n`);
  process.exit(1);
});
