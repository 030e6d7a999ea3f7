// Used by advisories.spec.ts only. @secvisogram/csaf-validator-lib is ESM-only and this repository's Jest
// (CommonJS via @swc/jest, Node 20) cannot load it, so the spec runs this script in a child Node process.
// stdin: {documents: [...], cweIds: [...]}; stdout: {results: [{isValid, errors, ...}], cweNames: {id: name|null}}.
import validateStrict from '@secvisogram/csaf-validator-lib/validateStrict.js';
import * as mandatory from '@secvisogram/csaf-validator-lib/mandatoryTests.js';
import { csaf_2_0_strict } from '@secvisogram/csaf-validator-lib/schemaTests.js';
import { weaknesses } from '@secvisogram/csaf-validator-lib/cwe.js';

let raw = '';
for await (const chunk of process.stdin) raw += chunk;
const input = JSON.parse(raw);

// The strict schema plus every mandatory test (§6.1), through the strict entry point.
const tests = [csaf_2_0_strict, ...Object.values(mandatory)];
const results = [];
for (const doc of input.documents) results.push(await validateStrict(tests, doc));
const cweNames = Object.fromEntries((input.cweIds ?? []).map((id) => [id, weaknesses.find((w) => w.id === id)?.name ?? null]));
process.stdout.write(JSON.stringify({ results, testCount: tests.length, cweNames }));
