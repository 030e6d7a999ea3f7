// Finds the methods marked with a metadata key on every provider of the application: how @ConsumeEvent,
// @OnRequest and @OnTimer handlers are bound at start-up.
import { DiscoveryService, MetadataScanner, Reflector } from '@nestjs/core';

export interface DiscoveredHandler<M> {
  meta: M;
  /** The method, bound to its provider. */
  call: (...args: any[]) => Promise<unknown>;
  name: string;
}

export function discoverHandlers<M>(
  discovery: DiscoveryService,
  scanner: MetadataScanner,
  reflector: Reflector,
  key: symbol | string,
): DiscoveredHandler<M>[] {
  const found: DiscoveredHandler<M>[] = [];
  for (const wrapper of discovery.getProviders()) {
    const instance = wrapper.instance as Record<string, unknown> | undefined;
    if (!instance || typeof instance !== 'object' || !wrapper.isDependencyTreeStatic()) continue;
    const prototype = Object.getPrototypeOf(instance);
    for (const methodName of scanner.getAllMethodNames(prototype)) {
      const meta = reflector.get<M | undefined>(key, prototype[methodName]);
      if (meta === undefined) continue;
      const method = instance[methodName] as (...args: any[]) => Promise<unknown>;
      found.push({ meta, call: method.bind(instance), name: `${prototype.constructor.name}.${methodName}` });
    }
  }
  return found;
}
