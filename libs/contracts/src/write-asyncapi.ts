// `npm run docs`: writes the AsyncAPI document next to the contracts it is generated from.
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { buildAsyncApi } from './asyncapi';

export const ASYNCAPI_FILE = path.resolve(__dirname, '..', 'asyncapi.json');

export function renderAsyncApi(): string {
  return `${JSON.stringify(buildAsyncApi(), null, 2)}\n`;
}

if (require.main === module) {
  writeFileSync(ASYNCAPI_FILE, renderAsyncApi());
  process.stdout.write(`wrote ${path.relative(process.cwd(), ASYNCAPI_FILE)}\n`);
}
