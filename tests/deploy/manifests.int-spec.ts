// No cluster runs here, so every Kubernetes object in deploy/ is validated against the Kubernetes schemas
// (kubernetes-models), and the kustomizations, compose file and Dockerfile are checked for what they promise.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parseAllDocuments } from 'yaml';
import { SERVICE_NAMES } from '@vantage/persistence';

const DEPLOY = path.resolve(__dirname, '../../deploy');
const MODELS: Record<string, Record<string, new (o: unknown) => { validate(): void }>> = {
  v1: require('kubernetes-models/v1'),
  'apps/v1': require('kubernetes-models/apps/v1'),
  'batch/v1': require('kubernetes-models/batch/v1'),
};

function yamlFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    return e.isDirectory() ? yamlFiles(p) : p.endsWith('.yaml') ? [p] : [];
  });
}

function objects(file: string): any[] {
  return parseAllDocuments(readFileSync(file, 'utf8'), { merge: true }).map((d) => {
    if (d.errors.length) throw new Error(`${file}: ${d.errors[0].message}`);
    return d.toJSON();
  }).filter(Boolean);
}

const k8sObjects = yamlFiles(path.join(DEPLOY, 'k8s'))
  .flatMap((file) => objects(file).map((o) => ({ file: path.relative(DEPLOY, file), o })))
  .filter(({ o }) => o.apiVersion && o.kind && !String(o.apiVersion).startsWith('kustomize.config.k8s.io'));

describe('deploy/k8s', () => {
  it.each(k8sObjects.map(({ file, o }) => [`${file} ${o.kind}/${o.metadata?.name}`, o]))('%s is a valid Kubernetes object', (_name, o: any) => {
    const Model = MODELS[o.apiVersion]?.[o.kind];
    expect(Model).toBeDefined();
    expect(() => new Model(o).validate()).not.toThrow();
  });

  it('gives every service a Deployment with health probes, a Service, settings and a migration Job', () => {
    for (const service of SERVICE_NAMES) {
      const find = (kind: string, name: string) => k8sObjects.find(({ o }) => o.kind === kind && o.metadata.name === name)?.o;
      const deployment = find('Deployment', service);
      const container = deployment.spec.template.spec.containers[0];
      expect(container.readinessProbe.httpGet.path).toBe('/health/ready');
      expect(container.livenessProbe.httpGet.path).toBe('/health/live');
      expect(container.readinessProbe.timeoutSeconds).toBeGreaterThanOrEqual(3);
      expect(container.resources.requests).toBeDefined();
      expect(deployment.spec.template.spec.securityContext.runAsNonRoot).toBe(true);
      expect(find('Service', service)).toBeDefined();
      expect(find('ConfigMap', `${service}-config`).data.NATS_URL).toBeDefined();
      expect(find('Job', `${service}-migrate`).spec.template.spec.containers[0].args).toEqual(['migrate']);
    }
    expect(k8sObjects.find(({ o }) => o.kind === 'StatefulSet' && o.metadata.name === 'nats')!.o.spec.replicas).toBe(3);
  });

  it('lists in each kustomization only files that exist, and raises stream replicas to 3 in the cluster overlay', () => {
    for (const file of yamlFiles(path.join(DEPLOY, 'k8s')).filter((f) => f.endsWith('kustomization.yaml'))) {
      const k = objects(file)[0];
      for (const r of k.resources ?? []) expect(existsSync(path.resolve(path.dirname(file), r))).toBe(true);
      for (const p of k.patches ?? []) expect(existsSync(path.resolve(path.dirname(file), p.path))).toBe(true);
    }
    const overlay = objects(path.join(DEPLOY, 'k8s/overlays/cluster/kustomization.yaml'))[0];
    expect(overlay.replicas.map((r: any) => r.name).sort()).toEqual([...SERVICE_NAMES].sort());
    const patch = objects(path.join(DEPLOY, 'k8s/overlays/cluster/stream-replicas.yaml'))[0];
    expect(patch).toEqual([{ op: 'replace', path: '/data/NATS_STREAM_REPLICAS', value: '3' }]);
  });
});

describe('deploy/compose.yaml and deploy/Dockerfile', () => {
  it('runs NATS with JetStream, Postgres, a setup step and every service from the one Dockerfile', () => {
    const compose = objects(path.join(DEPLOY, 'compose.yaml'))[0];
    expect(compose.services.nats.command).toContain('-js');
    expect(compose.services.postgres).toBeDefined();
    expect(compose.services.setup.entrypoint).toEqual(['node', 'apps/launcher/src/migrate.js']);
    for (const service of SERVICE_NAMES) {
      expect(compose.services[service].build.args.SERVICE).toBe(service);
      expect(compose.services[service].depends_on.setup.condition).toBe('service_completed_successfully');
    }
  });

  it('builds in stages, with production dependencies only, as a non-root user, with a health check', () => {
    const dockerfile = readFileSync(path.join(DEPLOY, 'Dockerfile'), 'utf8');
    expect(dockerfile.match(/^FROM /gm)!.length).toBeGreaterThanOrEqual(2);
    expect(dockerfile).toMatch(/npm ci --omit=dev/);
    expect(dockerfile).toMatch(/^USER node$/m);
    expect(dockerfile).toMatch(/^HEALTHCHECK .*/m);
    expect(dockerfile).toMatch(/ARG SERVICE/);
  });
});
