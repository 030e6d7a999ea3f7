import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import { readFileSync } from 'node:fs';
import { EVENT_CATALOGUE, RPC_CATALOGUE } from './catalogue';
import { buildAsyncApi } from './asyncapi';
import { ASYNCAPI_FILE, renderAsyncApi } from './write-asyncapi';

describe('the AsyncAPI document', () => {
  it('describes every event and request-reply subject with its payload schema', () => {
    const doc = buildAsyncApi() as any;
    expect(doc.asyncapi).toBe('3.0.0');
    const addresses = Object.values(doc.channels).map((c: any) => c.address);
    for (const def of EVENT_CATALOGUE) {
      expect(addresses).toContain(def.subject('vantage'));
      expect(doc.components.schemas[def.payload.name]?.properties).toBeDefined();
    }
    for (const def of RPC_CATALOGUE) expect(addresses).toContain(def.subject('vantage'));
    // Every $ref points at something that exists.
    const refs = JSON.stringify(doc).match(/"\$ref":"[^"]+"/g) ?? [];
    for (const ref of refs) {
      const pointer = ref.slice(8, -1).replace(/^#\//, '').split('/');
      let node: any = doc;
      for (const part of pointer) node = node?.[part];
      expect({ ref, found: node !== undefined }).toEqual({ ref, found: true });
    }
  });

  it('gives every message one example, valid against the payload schema the document gives it', () => {
    const doc = buildAsyncApi() as any;
    const ajv = new Ajv({ strict: false, allErrors: true });
    addFormats(ajv);
    ajv.addSchema({ $id: 'asyncapi.json', components: { schemas: doc.components.schemas } });
    const rebase = (schema: unknown) => JSON.parse(JSON.stringify(schema).replace(/"\$ref":"#\//g, '"$ref":"asyncapi.json#/'));
    const problems: string[] = [];
    for (const [name, message] of Object.entries<any>(doc.components.messages)) {
      if (message.examples?.length !== 1) {
        problems.push(`${name}: ${message.examples?.length ?? 0} examples`);
        continue;
      }
      const validate = ajv.compile(rebase(message.payload));
      if (!validate(message.examples[0].payload)) problems.push(`${name}: ${ajv.errorsText(validate.errors)}`);
    }
    expect(problems).toEqual([]);
  });

  it('is checked in and current: run `npm run docs` after changing a contract', () => {
    expect(readFileSync(ASYNCAPI_FILE, 'utf8')).toBe(renderAsyncApi());
  });
});
