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

  it('is checked in and current: run `npm run docs` after changing a contract', () => {
    expect(readFileSync(ASYNCAPI_FILE, 'utf8')).toBe(renderAsyncApi());
  });
});
