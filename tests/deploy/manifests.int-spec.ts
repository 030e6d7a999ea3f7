// No cluster runs here, so every Kubernetes object in deploy/ is validated against the Kubernetes schemas
// (kubernetes-models), and the kustomizations, compose file and Dockerfile are checked for what they promise: pods
// that meet the Pod Security Standard `restricted`, network policies that admit only what the system needs, and a bus
// on which every service connects over TLS with its own credentials. The NATS configurations of compose and of the
// Kubernetes StatefulSet are started on a real nats-server with a trust rendered by `npm run nats-auth`.
import { ChildProcess, spawn, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { BlockList, connect as tcpConnect, isIPv4 } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { connect, ErrorCode, NatsConnection, TlsOptions } from 'nats';
import { parseAllDocuments } from 'yaml';
import { adminCreds, checkNatsTrust, createNatsTrust, feedSignerOf, feedStreamName, findNatsServer, issueFeedCredentials, natsConnectionOptions, serviceInboxPrefix } from '@vantage/messaging';
import { SERVICE_NAMES, ServiceName } from '@vantage/persistence';
import { freePort, waitFor } from '@vantage/testing';
import { makeTls, render } from '../../apps/launcher/src/start/nats-auth';
import { connectToFeed, FeedCredentials, readFeed } from '../../deploy/nats/read-feed';

jest.setTimeout(120_000);

const ROOT = path.resolve(__dirname, '../..');
const DEPLOY = path.join(ROOT, 'deploy');
const MODELS: Record<string, Record<string, new (o: unknown) => { validate(): void }>> = {
  v1: require('kubernetes-models/v1'),
  'apps/v1': require('kubernetes-models/apps/v1'),
  'batch/v1': require('kubernetes-models/batch/v1'),
  'networking.k8s.io/v1': require('kubernetes-models/networking.k8s.io/v1'),
};
/** The services that call URLs they are given (the broker, the runner, webhooks): they alone reach the internet. */
const CALLING_OUT: ServiceName[] = ['intake', 'benchmark-runner', 'notifier'];
/** The names the cluster overlay tells the operator to put in the NATS certificate (`nats-auth -- tls --hosts`). */
const K8S_TLS_HOSTS = /--hosts (\S+)/.exec(readFileSync(path.join(DEPLOY, 'k8s/overlays/cluster/kustomization.yaml'), 'utf8'))?.[1].split(',') ?? [];

function yamlFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    return e.isDirectory() ? yamlFiles(p) : p.endsWith('.yaml') ? [p] : [];
  });
}

function parseYaml(text: string, what: string): any[] {
  return parseAllDocuments(text, { merge: true }).map((d) => {
    if (d.errors.length) throw new Error(`${what}: ${d.errors[0].message}`);
    return d.toJSON();
  }).filter(Boolean);
}

function objects(file: string): any[] {
  return parseYaml(readFileSync(file, 'utf8'), file);
}

const isK8s = (o: any) => o?.apiVersion && o.kind && !String(o.apiVersion).startsWith('kustomize.config.k8s.io');
const k8sObjects = yamlFiles(path.join(DEPLOY, 'k8s'))
  .flatMap((file) => objects(file).map((o) => ({ file: path.relative(DEPLOY, file), o })))
  .filter(({ o }) => isK8s(o));
/** What `kubectl apply -k overlays/cluster` deploys, besides the overlay's generated secrets (no optional components). */
const base = k8sObjects.filter(({ file }) => file.startsWith('k8s/base/')).map(({ o }) => o);
const find = (objs: any[], kind: string, name: string) => objs.find((o) => o.kind === kind && o.metadata.name === name);
const overlay = objects(path.join(DEPLOY, 'k8s/overlays/cluster/kustomization.yaml'))[0];
const compose = objects(path.join(DEPLOY, 'compose.yaml'))[0];

const WORKLOAD_KINDS = ['Deployment', 'StatefulSet', 'Job'];
const workloads = (objs: any[]) => objs.filter((o) => WORKLOAD_KINDS.includes(o.kind));
const podSpecOf = (w: any) => w.spec.template.spec;
const containersOf = (spec: any): any[] => [...(spec.initContainers ?? []), ...spec.containers, ...(spec.ephemeralContainers ?? [])];

// --- The Pod Security Standards, `restricted` (which includes `baseline`), as published at
// https://kubernetes.io/docs/concepts/security/pod-security-standards/ (policy version latest, Linux pods).
const RESTRICTED_VOLUME_TYPES = new Set(['configMap', 'csi', 'downwardAPI', 'emptyDir', 'ephemeral', 'persistentVolumeClaim', 'projected', 'secret']);
const SAFE_SYSCTLS = new Set([
  'kernel.shm_rmid_forced', 'net.ipv4.ip_local_port_range', 'net.ipv4.ip_unprivileged_port_start', 'net.ipv4.tcp_syncookies',
  'net.ipv4.ping_group_range', 'net.ipv4.ip_local_reserved_ports', 'net.ipv4.tcp_keepalive_time', 'net.ipv4.tcp_fin_timeout',
  'net.ipv4.tcp_keepalive_intvl', 'net.ipv4.tcp_keepalive_probes',
]);
const SELINUX_TYPES = new Set(['container_t', 'container_init_t', 'container_kvm_t', 'container_engine_t']);

/** Every way a pod template breaks the `restricted` standard; empty when it meets it. */
function restrictedViolations(template: { metadata?: any; spec: any }): string[] {
  const v: string[] = [];
  const spec = template.spec;
  const annotations: Record<string, string> = template.metadata?.annotations ?? {};
  const pod = spec.securityContext ?? {};
  // Baseline.
  if (pod.windowsOptions?.hostProcess) v.push('pod: hostProcess');
  for (const ns of ['hostNetwork', 'hostPID', 'hostIPC']) if (spec[ns]) v.push(`pod: ${ns}`);
  for (const [k, value] of Object.entries(annotations)) {
    if (k.startsWith('container.apparmor.security.beta.kubernetes.io/') && value !== 'runtime/default' && !value.startsWith('localhost/')) v.push(`pod: AppArmor ${value}`);
  }
  const appArmor = (p: any, who: string) => {
    if (p?.appArmorProfile && !['RuntimeDefault', 'Localhost'].includes(p.appArmorProfile.type)) v.push(`${who}: AppArmor ${p.appArmorProfile.type}`);
  };
  const seLinux = (o: any, who: string) => {
    if (!o) return;
    if (o.type !== undefined && o.type !== '' && !SELINUX_TYPES.has(o.type)) v.push(`${who}: SELinux type ${o.type}`);
    if (o.user || o.role) v.push(`${who}: SELinux user or role`);
  };
  appArmor(pod, 'pod');
  seLinux(pod.seLinuxOptions, 'pod');
  for (const s of pod.sysctls ?? []) if (!SAFE_SYSCTLS.has(s.name)) v.push(`pod: sysctl ${s.name}`);
  // Restricted, pod level.
  if (pod.runAsUser === 0) v.push('pod: runAsUser 0');
  if (pod.seccompProfile && !['RuntimeDefault', 'Localhost'].includes(pod.seccompProfile.type)) v.push(`pod: seccomp ${pod.seccompProfile.type}`);
  for (const vol of spec.volumes ?? []) {
    const type = Object.keys(vol).find((k) => k !== 'name')!;
    if (!RESTRICTED_VOLUME_TYPES.has(type)) v.push(`volume ${vol.name}: ${type}`);
  }
  for (const c of containersOf(spec)) {
    const sc = c.securityContext ?? {};
    const who = `container ${c.name}`;
    if (sc.windowsOptions?.hostProcess) v.push(`${who}: hostProcess`);
    if (sc.privileged) v.push(`${who}: privileged`);
    for (const p of c.ports ?? []) if (p.hostPort) v.push(`${who}: hostPort ${p.hostPort}`);
    if (sc.procMount && sc.procMount !== 'Default') v.push(`${who}: procMount ${sc.procMount}`);
    appArmor(sc, who);
    seLinux(sc.seLinuxOptions, who);
    if (sc.allowPrivilegeEscalation !== false) v.push(`${who}: allowPrivilegeEscalation is not false`);
    if ((sc.runAsNonRoot ?? pod.runAsNonRoot) !== true) v.push(`${who}: runAsNonRoot is not true`);
    if (sc.runAsUser === 0) v.push(`${who}: runAsUser 0`);
    const seccomp = sc.seccompProfile?.type ?? pod.seccompProfile?.type;
    if (!['RuntimeDefault', 'Localhost'].includes(seccomp)) v.push(`${who}: seccomp ${seccomp ?? 'unset'}`);
    if (!(sc.capabilities?.drop ?? []).includes('ALL')) v.push(`${who}: capabilities not dropping ALL`);
    // Restricted allows adding back NET_BIND_SERVICE only (stricter than baseline's default set).
    for (const cap of sc.capabilities?.add ?? []) if (cap !== 'NET_BIND_SERVICE') v.push(`${who}: adds ${cap}`);
  }
  return v;
}

// --- NetworkPolicy, evaluated as the API defines it: a connection is allowed when the source's egress and the
// destination's ingress both allow it (a pod no policy of that type selects allows everything that way).
interface Endpoint {
  name: string;
  namespace?: string;
  namespaceLabels?: Record<string, string>;
  labels?: Record<string, string>;
  ip: string;
}

function matchesSelector(selector: any, labels: Record<string, string> = {}): boolean {
  for (const [k, value] of Object.entries(selector?.matchLabels ?? {})) if (labels[k] !== value) return false;
  for (const e of selector?.matchExpressions ?? []) {
    const has = e.key in labels;
    if (e.operator === 'In' && !(has && e.values.includes(labels[e.key]))) return false;
    if (e.operator === 'NotIn' && has && e.values.includes(labels[e.key])) return false;
    if (e.operator === 'Exists' && !has) return false;
    if (e.operator === 'DoesNotExist' && has) return false;
  }
  return true;
}

function inCidr(ip: string, cidr: string): boolean {
  const [net, bits] = cidr.split('/');
  const type = isIPv4(net) ? 'ipv4' : 'ipv6';
  if ((type === 'ipv4') !== isIPv4(ip)) return false;
  const list = new BlockList();
  list.addSubnet(net, Number(bits), type);
  return list.check(ip, type);
}

function peerMatches(peer: any, policyNamespace: string, other: Endpoint): boolean {
  if (peer.ipBlock) return inCidr(other.ip, peer.ipBlock.cidr) && !(peer.ipBlock.except ?? []).some((c: string) => inCidr(other.ip, c));
  if (!other.namespace) return false;
  if (peer.namespaceSelector) {
    if (!matchesSelector(peer.namespaceSelector, other.namespaceLabels)) return false;
  } else if (other.namespace !== policyNamespace) return false;
  return !peer.podSelector || matchesSelector(peer.podSelector, other.labels);
}

function portMatches(ports: any[] | undefined, port: number, protocol: string): boolean {
  return !ports?.length || ports.some((p) => (p.protocol ?? 'TCP') === protocol && (p.port === undefined || p.port === port));
}

function allowedBy(policies: any[], direction: 'Ingress' | 'Egress', pod: Endpoint, other: Endpoint, port: number, protocol: string): boolean {
  if (!pod.namespace) return true; // outside the cluster: not ours to police
  const selecting = policies.filter((p) => (p.metadata.namespace ?? 'vantage') === pod.namespace && matchesSelector(p.spec.podSelector, pod.labels)
    && (p.spec.policyTypes ?? ['Ingress']).includes(direction));
  if (!selecting.length) return true;
  const key = direction === 'Ingress' ? 'ingress' : 'egress';
  const peersKey = direction === 'Ingress' ? 'from' : 'to';
  return selecting.some((p) => (p.spec[key] ?? []).some((rule: any) =>
    portMatches(rule.ports, port, protocol) && (!rule[peersKey]?.length || rule[peersKey].some((peer: any) => peerMatches(peer, pod.namespace!, other)))));
}

function connects(policies: any[], from: Endpoint, to: Endpoint, port: number, protocol = 'TCP'): boolean {
  return allowedBy(policies, 'Egress', from, to, port, protocol) && allowedBy(policies, 'Ingress', to, from, port, protocol);
}

// --- A real nats-server from a deployment's configuration.
const running: ChildProcess[] = [];
const temporary: string[] = [];

afterAll(async () => {
  await Promise.all(running.map((child) => new Promise<void>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  })));
  for (const dir of temporary) rmSync(dir, { recursive: true, force: true });
});

function tempDir(name: string): string {
  const dir = mkdtempSync(path.join(tmpdir(), `vantage-deploy-${name}-`));
  temporary.push(dir);
  return dir;
}

/** A deployment's bus trust, made as the operator makes it (init, then tls), into `dir`. */
async function renderTrust(dir: string, hosts: string[]): Promise<void> {
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, 'trust.json'), JSON.stringify(createNatsTrust('vantage')), { mode: 0o600 });
  await render(dir, 'vantage');
  makeTls(dir, hosts);
}

/** Replaces each `from` with its `to`; each must be there, so a changed configuration fails here, not silently. */
function rewrite(text: string, pairs: [string, string][]): string {
  let out = text;
  for (const [from, to] of pairs) {
    if (!out.includes(from)) throw new Error(`the configuration no longer contains ${JSON.stringify(from)}`);
    out = out.split(from).join(to);
  }
  return out;
}

async function startNatsServer(configFile: string, env: Record<string, string> = {}): Promise<ChildProcess> {
  const binary = findNatsServer();
  if (!binary) throw new Error('nats-server is not installed (apt-get install nats-server)');
  const child = spawn(binary, ['-c', configFile], { cwd: path.dirname(configFile), env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  running.push(child);
  const output: string[] = [];
  child.stdout!.on('data', (c: Buffer) => output.push(c.toString()));
  child.stderr!.on('data', (c: Buffer) => output.push(c.toString()));
  await waitFor(() => {
    if (child.exitCode !== null) throw new Error(`nats-server -c ${configFile} exited:\n${output.join('')}`);
    return /Server is ready/.test(output.join(''));
  }, { what: `nats-server -c ${configFile}`, timeoutMs: 20_000, intervalMs: 50 });
  return child;
}

/** The first line a NATS server sends to a plain TCP client: its INFO, which says what it requires. */
function serverInfo(port: number): Promise<{ tls_required?: boolean; auth_required?: boolean }> {
  return new Promise((resolve, reject) => {
    const socket = tcpConnect(port, '127.0.0.1');
    let data = '';
    socket.on('close', () => reject(new Error(`no INFO from port ${port}: ${data}`)));
    socket.on('data', (c) => {
      data += c.toString();
      const line = /^INFO (\{.*\})\s*\r\n/.exec(data);
      if (line) {
        socket.destroy();
        resolve(JSON.parse(line[1]));
      }
    });
    socket.on('error', reject);
  });
}

/**
 * TLS that trusts `ca` and checks the server's certificate for `name` whatever address the test dials (the servers
 * listen on 127.0.0.1). nats.js hands these options to Node's tls.connect, which honours `servername`; its type
 * does not list it.
 */
function tlsAs(ca: string, name: string): TlsOptions {
  return { ca, servername: name } as TlsOptions;
}

/** Connects as a service would (its creds, its inbox prefix, the CA), to `host` as the name the certificate must carry. */
async function connectAsService(dir: string, service: ServiceName, port: number, tlsName: string): Promise<NatsConnection> {
  const options = natsConnectionOptions({
    url: `tls://127.0.0.1:${port}`,
    name: service,
    creds: readFileSync(path.join(dir, 'creds', `${service}.creds`), 'utf8'),
    tlsCa: readFileSync(path.join(dir, 'tls', 'ca.pem'), 'utf8'),
    inboxPrefix: serviceInboxPrefix(service),
  });
  return connect({ ...options, tls: tlsAs(readFileSync(path.join(dir, 'tls', 'ca.pem'), 'utf8'), tlsName), timeout: 5000 });
}

const connectError = (attempt: Promise<NatsConnection>) => attempt.then(async (nc) => {
  await nc.close();
  return undefined;
}, (e: { code?: string }) => e.code);

// --- Kubernetes.
describe('deploy/k8s', () => {
  it.each(k8sObjects.map(({ file, o }) => [`${file} ${o.kind}/${o.metadata?.name}`, o]))('%s is a valid Kubernetes object', (_name, o: any) => {
    const Model = MODELS[o.apiVersion]?.[o.kind];
    expect(Model).toBeDefined();
    expect(() => new Model(o).validate()).not.toThrow();
  });

  it('gives every service a Deployment with health probes, a Service, settings and a migration Job', () => {
    for (const service of SERVICE_NAMES) {
      const deployment = find(base, 'Deployment', service);
      const container = deployment.spec.template.spec.containers[0];
      expect(container.readinessProbe.httpGet.path).toBe('/health/ready');
      expect(container.livenessProbe.httpGet.path).toBe('/health/live');
      expect(container.readinessProbe.timeoutSeconds).toBeGreaterThanOrEqual(3);
      expect(container.resources.requests).toBeDefined();
      expect(deployment.spec.template.spec.securityContext.runAsNonRoot).toBe(true);
      expect(find(base, 'Service', service)).toBeDefined();
      expect(find(base, 'ConfigMap', `${service}-config`).data.NATS_URL).toBeDefined();
      expect(find(base, 'Job', `${service}-migrate`).spec.template.spec.containers[0].args).toEqual(['migrate']);
    }
    expect(find(base, 'StatefulSet', 'nats').spec.replicas).toBe(3);
  });

  it('lists in each kustomization only files that exist, and raises stream replicas to 3 in the cluster overlay', () => {
    for (const file of yamlFiles(path.join(DEPLOY, 'k8s')).filter((f) => f.endsWith('kustomization.yaml'))) {
      const k = objects(file)[0];
      for (const r of k.resources ?? []) expect(existsSync(path.resolve(path.dirname(file), r))).toBe(true);
      for (const p of k.patches ?? []) expect(existsSync(path.resolve(path.dirname(file), p.path))).toBe(true);
    }
    expect(overlay.replicas.map((r: any) => r.name).sort()).toEqual([...SERVICE_NAMES].sort());
    const patch = objects(path.join(DEPLOY, 'k8s/overlays/cluster/stream-replicas.yaml'))[0];
    expect(patch).toEqual([{ op: 'replace', path: '/data/NATS_STREAM_REPLICAS', value: '3' }]);
  });

  describe('Pod Security Standard restricted', () => {
    it('the checker finds what a pod with no security settings breaks', () => {
      const bare = { spec: { hostNetwork: true, containers: [{ name: 'c', ports: [{ containerPort: 80, hostPort: 80 }], securityContext: { capabilities: { add: ['NET_ADMIN'] } } }], volumes: [{ name: 'h', hostPath: { path: '/' } }] } };
      expect(restrictedViolations(bare)).toEqual(expect.arrayContaining([
        'pod: hostNetwork', 'volume h: hostPath', 'container c: hostPort 80', 'container c: allowPrivilegeEscalation is not false',
        'container c: runAsNonRoot is not true', 'container c: seccomp unset', 'container c: capabilities not dropping ALL', 'container c: adds NET_ADMIN',
      ]));
    });

    it('the namespace enforces, audits and warns on restricted', () => {
      const labels = find(base, 'Namespace', 'vantage').metadata.labels;
      for (const mode of ['enforce', 'audit', 'warn']) expect(labels[`pod-security.kubernetes.io/${mode}`]).toBe('restricted');
    });

    it.each(workloads(base).map((w) => [`${w.kind}/${w.metadata.name}`, w]))('%s meets restricted, with a read-only root filesystem', (_name, w: any) => {
      expect(restrictedViolations(w.spec.template)).toEqual([]);
      for (const c of containersOf(podSpecOf(w))) expect(`${c.name}: ${c.securityContext?.readOnlyRootFilesystem}`).toBe(`${c.name}: true`);
      // No pod talks to the Kubernetes API: none gets a token for it.
      expect(podSpecOf(w).automountServiceAccountToken).toBe(false);
    });

    it('runs each image as its own non-root user, with its volumes writable through fsGroup', () => {
      const pod = (kind: string, name: string) => podSpecOf(find(base, kind, name)).securityContext;
      expect(pod('StatefulSet', 'postgres')).toMatchObject({ runAsUser: 999, fsGroup: 999 });
      expect(podSpecOf(find(base, 'StatefulSet', 'postgres')).containers[0].env).toContainEqual({ name: 'PGDATA', value: '/var/lib/postgresql/data/pgdata' });
      expect(pod('StatefulSet', 'nats')).toMatchObject({ runAsNonRoot: true, fsGroup: expect.any(Number) });
      for (const service of SERVICE_NAMES) expect(pod('Deployment', service)).toMatchObject({ runAsUser: 1000, fsGroup: 1000 });
    });
  });

  describe('network policies', () => {
    const policies = base.filter((o) => o.kind === 'NetworkPolicy');
    const vantage = (name: string, labels: Record<string, string>, ip: string): Endpoint => ({ name, namespace: 'vantage', namespaceLabels: { 'kubernetes.io/metadata.name': 'vantage' }, labels, ip });
    const podOf = (kind: string, name: string, ip: string) => vantage(name, find(base, kind, name).spec.template.metadata.labels, ip);
    const services = Object.fromEntries(SERVICE_NAMES.map((s, i) => [s, podOf('Deployment', s, `10.1.0.${i + 1}`)])) as Record<ServiceName, Endpoint>;
    const migrations = workloads(base).filter((w) => w.kind === 'Job').map((j, i) => podOf('Job', j.metadata.name, `10.2.0.${i + 1}`));
    const nats = podOf('StatefulSet', 'nats', '10.3.0.1');
    const natsPeer = podOf('StatefulSet', 'nats', '10.3.0.2');
    const postgres = podOf('StatefulSet', 'postgres', '10.4.0.1');
    const dns: Endpoint = { name: 'kube-dns', namespace: 'kube-system', namespaceLabels: { 'kubernetes.io/metadata.name': 'kube-system' }, labels: { 'k8s-app': 'kube-dns' }, ip: '10.96.0.10' };
    const prometheus: Endpoint = { name: 'prometheus', namespace: 'monitoring', namespaceLabels: { 'kubernetes.io/metadata.name': 'monitoring' }, labels: { app: 'prometheus' }, ip: '10.5.0.1' };
    const strangerPod: Endpoint = { name: 'another app', namespace: 'other', namespaceLabels: { 'kubernetes.io/metadata.name': 'other' }, labels: { app: 'x' }, ip: '10.6.0.1' };
    const internet: Endpoint = { name: 'a public host', ip: '93.184.216.34' };
    const internal = ['10.0.0.5', '172.16.0.1', '192.168.1.10', '169.254.169.254', '127.0.0.1', '100.64.0.1'].map((ip) => ({ name: ip, ip }));
    const port = (service: ServiceName) => Number(find(base, 'ConfigMap', `${service}-config`).data.PORT);

    it('deny everything by default, and select every workload with an ingress and an egress policy of its own', () => {
      const defaultDeny = policies.filter((p) => Object.keys(p.spec.podSelector).length === 0 && !p.spec.ingress && !p.spec.egress);
      expect(defaultDeny.map((p) => p.spec.policyTypes.sort())).toContainEqual(['Egress', 'Ingress']);
      const own = policies.filter((p) => !defaultDeny.includes(p));
      for (const w of workloads(base)) {
        const labels = w.spec.template.metadata.labels;
        for (const type of ['Ingress', 'Egress']) {
          expect(`${w.metadata.name} ${type}: ${own.some((p) => p.spec.policyTypes.includes(type) && matchesSelector(p.spec.podSelector, labels))}`).toBe(`${w.metadata.name} ${type}: true`);
        }
      }
    });

    it('let every service reach NATS, Postgres and DNS, and nothing else inside the cluster', () => {
      for (const service of SERVICE_NAMES) {
        const s = services[service];
        expect([service, connects(policies, s, nats, 4222), connects(policies, s, postgres, 5432), connects(policies, s, dns, 53, 'UDP')]).toEqual([service, true, true, true]);
        expect([service, connects(policies, s, nats, 6222), connects(policies, s, strangerPod, 443)]).toEqual([service, false, false]);
        for (const other of SERVICE_NAMES.filter((o) => o !== service)) expect([service, other, connects(policies, s, services[other], port(other))]).toEqual([service, other, false]);
      }
    });

    it('let only the broker, the runner and the notifier reach the internet, on 443, and never a private, link-local or loopback address', () => {
      for (const service of SERVICE_NAMES) {
        const s = services[service];
        expect([service, connects(policies, s, internet, 443)]).toEqual([service, CALLING_OUT.includes(service)]);
        expect([service, connects(policies, s, internet, 80)]).toEqual([service, false]);
        for (const address of internal) expect([service, address.ip, connects(policies, s, address, 443)]).toEqual([service, address.ip, false]);
      }
    });

    it('admit anyone to the gateway, the monitoring namespace to every service port, and nobody else', () => {
      expect(connects(policies, internet, services.intake, port('intake'))).toBe(true);
      for (const service of SERVICE_NAMES) {
        expect([service, connects(policies, prometheus, services[service], port(service))]).toEqual([service, true]);
        if (service !== 'intake') {
          expect([service, connects(policies, internet, services[service], port(service)), connects(policies, strangerPod, services[service], port(service))]).toEqual([service, false, false]);
        }
      }
    });

    it('admit to NATS only the services (4222), its own peers (6222) and monitoring (8222); to Postgres only services and migrations', () => {
      expect(connects(policies, nats, natsPeer, 6222)).toBe(true);
      expect(connects(policies, prometheus, nats, 8222)).toBe(true);
      for (const outsider of [internet, strangerPod, prometheus, postgres, ...migrations]) {
        expect([outsider.name, connects(policies, outsider, nats, 4222), connects(policies, outsider, nats, 6222)]).toEqual([outsider.name, false, false]);
      }
      for (const m of migrations) {
        expect([m.name, connects(policies, m, postgres, 5432), connects(policies, m, dns, 53, 'UDP'), connects(policies, m, internet, 443)]).toEqual([m.name, true, true, false]);
      }
      for (const outsider of [internet, strangerPod, prometheus, nats]) expect([outsider.name, connects(policies, outsider, postgres, 5432)]).toEqual([outsider.name, false]);
      expect([connects(policies, postgres, internet, 443), connects(policies, nats, internet, 443)]).toEqual([false, false]);
    });
  });

  describe('the bus', () => {
    const generator = (kind: 'secretGenerator' | 'configMapGenerator', name: string) => overlay[kind].find((g: any) => g.name === name);
    /** `key=path` entries of a generator, as a map. */
    const files = (g: any): Record<string, string> => Object.fromEntries((g?.files ?? []).map((f: string) => f.split('=')));
    /** Every Secret a pod reads, however it reads it. */
    const secretsOf = (spec: any): string[] => [
      ...(spec.volumes ?? []).flatMap((v: any) => [v.secret?.secretName, ...(v.projected?.sources ?? []).map((s: any) => s.secret?.name)]),
      ...containersOf(spec).flatMap((c) => [
        ...(c.envFrom ?? []).map((e: any) => e.secretRef?.name),
        ...(c.env ?? []).map((e: any) => e.valueFrom?.secretKeyRef?.name),
      ]),
    ].filter(Boolean);
    const mountOf = (spec: any, container: any, file: string) => {
      const mount = container.volumeMounts?.find((m: any) => path.dirname(file) === m.mountPath);
      return { mount, volume: spec.volumes?.find((v: any) => v.name === mount?.name) };
    };

    it.each([...SERVICE_NAMES])('%s connects over TLS with its own credentials, keys and the CA, all from secrets', (service) => {
      expect(find(base, 'ConfigMap', `${service}-config`).data.NATS_URL).toBe('tls://nats:4222');
      const spec = podSpecOf(find(base, 'Deployment', service));
      const container = spec.containers[0];
      const env = Object.fromEntries(container.env.map((e: any) => [e.name, e]));
      // The credentials: a file from this service's own Secret, made from the creds `npm run nats-auth` wrote for it.
      const creds = mountOf(spec, container, env.NATS_CREDS_FILE.value);
      expect(creds.volume.secret.secretName).toBe(`${service}-nats`);
      expect(files(generator('secretGenerator', `${service}-nats`))).toEqual({ [path.basename(env.NATS_CREDS_FILE.value)]: `.secrets/creds/${service}.creds` });
      // The CA (public), from the ConfigMap made from the CA `npm run nats-auth -- tls` wrote.
      const ca = mountOf(spec, container, env.NATS_TLS_CA_FILE.value);
      expect(ca.volume.configMap.name).toBe('nats-ca');
      expect(files(generator('configMapGenerator', 'nats-ca'))).toEqual({ [path.basename(env.NATS_TLS_CA_FILE.value)]: '.secrets/tls/ca.pem' });
      // Its identity key and every service's public keys: variables of its own Secret, made from its env file.
      expect(container.envFrom).toContainEqual({ secretRef: { name: `${service}-keys` } });
      expect(generator('secretGenerator', `${service}-keys`).envs).toEqual([`.secrets/env/${service}.env`]);
      for (const name of ['VANTAGE_IDENTITY_KEY', 'VANTAGE_SERVICE_KEYS', 'VANTAGE_FEED_SIGNING_KEY']) expect(env[name]).toBeUndefined();
      // Nobody else's: no other service's NATS user or keys, not the servers' key.
      expect([...new Set(secretsOf(spec))].sort()).toEqual([`${service}-keys`, `${service}-nats`, 'vantage-secrets'].sort());
    });

    it('puts no key or credential in a ConfigMap, and commits no secret value anywhere under deploy/', () => {
      for (const cm of k8sObjects.map(({ o }) => o).filter((o) => o.kind === 'ConfigMap')) {
        for (const key of Object.keys(cm.data ?? {})) expect(`${cm.metadata.name}.${key}`).not.toMatch(/KEY|CREDS|SEED|PASSWORD|SECRET/);
      }
      const tracked = spawnSync('git', ['ls-files', 'deploy'], { cwd: ROOT, encoding: 'utf8' }).stdout.split('\n').filter(Boolean);
      expect(tracked.length).toBeGreaterThan(10);
      for (const file of tracked.filter((f) => existsSync(path.join(ROOT, f)))) {
        const text = readFileSync(path.join(ROOT, file), 'utf8');
        // nkey seeds (operator, account, user), private keys, identity seeds written as a value.
        expect(`${file}: ${/\bS[OAU][A-Z2-7]{56}\b/.test(text)} ${/PRIVATE KEY-----/.test(text)} ${/VANTAGE_IDENTITY_KEY[=:]\s*\S{43}/.test(text)}`).toBe(`${file}: false false false`);
      }
      // Where the operator renders them, git ignores them.
      for (const file of ['deploy/.secrets/trust.json', 'deploy/k8s/overlays/cluster/.secrets/creds/intake.creds', 'deploy/k8s/overlays/cluster/secrets.env']) {
        expect([file, spawnSync('git', ['check-ignore', '-q', file], { cwd: ROOT }).status]).toEqual([file, 0]);
      }
    });

    it('gives the migration Jobs the database and nothing else: no NATS settings, credentials or keys', () => {
      const jobs = workloads(base).filter((w) => w.kind === 'Job');
      expect(jobs.map((j) => j.metadata.name).sort()).toEqual([...SERVICE_NAMES.map((s) => `${s}-migrate`), 'vantage-db-setup'].sort());
      for (const job of jobs) {
        const spec = podSpecOf(job);
        for (const c of spec.containers) {
          expect(c.envFrom).toBeUndefined();
          for (const e of c.env) expect(`${job.metadata.name}: ${e.name}`).not.toMatch(/: (NATS_|VANTAGE_(ENCRYPTION|IDENTITY|SERVICE|FEED|NATS|BOOTSTRAP))/);
          for (const e of c.env) if (e.valueFrom) expect(e.valueFrom.secretKeyRef.key).toMatch(/database-url$|role-password$/);
        }
        expect((spec.volumes ?? []).filter((v: any) => !v.emptyDir)).toEqual([]);
        if (job.metadata.name !== 'vantage-db-setup') expect(spec.containers[0].env.map((e: any) => e.name)).toEqual(['DATABASE_URL']);
      }
    });

    it('configures NATS with TLS from the nats-tls Secret and includes the rendered auth.conf beside its configuration', () => {
      const config: string = find(base, 'ConfigMap', 'nats-config').data['nats.conf'];
      const spec = podSpecOf(find(base, 'StatefulSet', 'nats'));
      const container = spec.containers[0];
      const configFile = container.args[container.args.indexOf('-c') + 1];
      const tlsBlock = /\ntls \{([^}]*)\}/.exec(config)?.[1] ?? '';
      const certFile = /cert_file: "([^"]+)"/.exec(tlsBlock)?.[1] ?? '';
      const keyFile = /key_file: "([^"]+)"/.exec(tlsBlock)?.[1] ?? '';
      expect(mountOf(spec, container, certFile).volume?.secret?.secretName).toBe('nats-tls');
      expect(mountOf(spec, container, keyFile).volume?.secret?.secretName).toBe('nats-tls');
      const include = /^include (\S+)$/m.exec(config)?.[1] ?? '';
      const { volume } = mountOf(spec, container, path.join(path.dirname(configFile), include));
      expect(volume?.projected?.sources).toContainEqual({ configMap: { name: 'nats-auth', items: [{ key: 'auth.conf', path: path.basename(include) }] } });
      expect(files(generator('configMapGenerator', 'nats-auth'))).toEqual({ 'auth.conf': '.secrets/server/auth.conf' });
      expect(files(generator('secretGenerator', 'nats-tls'))).toMatchObject({ [path.basename(certFile)]: '.secrets/tls/server.pem', [path.basename(keyFile)]: '.secrets/tls/server-key.pem' });
      // Only NATS mounts the servers' key.
      for (const w of workloads(base).filter((x) => x.metadata.name !== 'nats')) expect(secretsOf(podSpecOf(w))).not.toContain('nats-tls');
    });

    it("runs the StatefulSet's configuration on three real nats-servers: TLS and authentication required, routes form a JetStream cluster", async () => {
      const dir = tempDir('k8s');
      await renderTrust(dir, K8S_TLS_HOSTS);
      const spec = podSpecOf(find(base, 'StatefulSet', 'nats'));
      const config: string = find(base, 'ConfigMap', 'nats-config').data['nats.conf'];
      const tlsMount = spec.containers[0].volumeMounts.find((m: any) => m.name === 'tls').mountPath;
      const tlsFiles = files(generator('secretGenerator', 'nats-tls'));
      const nodes = await Promise.all([0, 1, 2].map(async (i) => ({ i, client: await freePort(), route: await freePort(), monitor: await freePort() })));
      for (const node of nodes) {
        const routes = nodes.map((n): [string, string] => [`nats://nats-${n.i}.nats-cluster:6222`, `nats://127.0.0.1:${n.route}`]);
        const text = rewrite(config, [
          ['listen: "0.0.0.0:4222"', `listen: "127.0.0.1:${node.client}"`],
          ['http_port: 8222', `http_port: ${node.monitor}`],
          ['store_dir: "/data/jetstream"', `store_dir: ${JSON.stringify(path.join(dir, `data-${node.i}`))}`],
          ['max_file_store: 20G', 'max_file_store: 1G'],
          ['listen: "0.0.0.0:6222"', `listen: "127.0.0.1:${node.route}"`],
          ...Object.entries(tlsFiles).filter(([key]) => config.includes(`"${tlsMount}/${key}"`))
            .map(([key, file]): [string, string] => [`"${tlsMount}/${key}"`, JSON.stringify(path.join(dir, file.replace(/^\.secrets\//, '')))]),
          ...routes,
        ]);
        // Beside the rendered auth.conf, as the projected volume puts them side by side.
        writeFileSync(path.join(dir, 'server', `nats-${node.i}.conf`), text);
      }
      await Promise.all(nodes.map((n) => startNatsServer(path.join(dir, 'server', `nats-${n.i}.conf`), { POD_NAME: `nats-${n.i}` })));

      const info = await serverInfo(nodes[0].client);
      expect({ tls: info.tls_required, auth: info.auth_required }).toEqual({ tls: true, auth: true });
      // The readiness probe's path answers on every node once JetStream is up across the routes.
      const probe = spec.containers[0].readinessProbe.httpGet.path;
      for (const n of nodes) {
        await waitFor(async () => (await fetch(`http://127.0.0.1:${n.monitor}${probe}`).catch(() => undefined))?.status === 200, { what: `${probe} on node ${n.i}`, timeoutMs: 30_000, intervalMs: 200 });
      }
      // A service connects by the name its NATS_URL uses, over TLS, with its creds; JetStream answers for its account
      // once the nodes have elected a meta leader over the routes.
      const host = new URL(find(base, 'ConfigMap', 'notifier-config').data.NATS_URL).hostname;
      const nc = await connectAsService(dir, 'notifier', nodes[0].client, host);
      try {
        const jsm = await nc.jetstreamManager({ checkAPI: false });
        await waitFor(() => jsm.getAccountInfo().catch(() => undefined), { what: 'JetStream across the cluster', timeoutMs: 30_000, intervalMs: 200 });
      } finally {
        await nc.close();
      }
      // Streams with three replicas (the overlay's NATS_STREAM_REPLICAS) are placed on the three nodes.
      const ca = readFileSync(path.join(dir, 'tls', 'ca.pem'), 'utf8');
      const trust = checkNatsTrust(JSON.parse(readFileSync(path.join(dir, 'trust.json'), 'utf8')));
      const admin = await connect({ ...natsConnectionOptions({ url: `tls://127.0.0.1:${nodes[1].client}`, name: 'admin', creds: await adminCreds(trust) }), tls: tlsAs(ca, host) });
      try {
        const jsm = await admin.jetstreamManager();
        await waitFor(() => jsm.streams.add({ name: 'DEPLOY_CHECK', subjects: ['deploy.check.>'], num_replicas: 3 }).catch(() => undefined), { what: 'a stream with 3 replicas', timeoutMs: 30_000, intervalMs: 500 });
        const peers = await waitFor(async () => {
          const cluster = (await jsm.streams.info('DEPLOY_CHECK')).cluster;
          return cluster?.leader && cluster.replicas?.length === 2 ? [cluster.leader, ...cluster.replicas.map((r) => r.name)] : undefined;
        }, { what: 'the stream on three nodes', timeoutMs: 30_000, intervalMs: 200 });
        expect(peers.sort()).toEqual(['nats-0', 'nats-1', 'nats-2']);
      } finally {
        await admin.close();
      }
      // Without credentials, or with another deployment's, the servers turn the connection away.
      expect(await connectError(connect({ servers: `tls://127.0.0.1:${nodes[2].client}`, tls: tlsAs(ca, host), timeout: 5000, reconnect: false }))).toBe(ErrorCode.AuthorizationViolation);
      const stranger = await adminCreds(createNatsTrust('vantage'));
      expect(await connectError(connect({ ...natsConnectionOptions({ url: `tls://127.0.0.1:${nodes[2].client}`, name: 'x', creds: stranger }), tls: tlsAs(ca, host), timeout: 5000, reconnect: false }))).toBe(ErrorCode.AuthorizationViolation);
    });

    const kubectl = spawnSync('kubectl', ['version', '--client'], { encoding: 'utf8' }).status === 0;
    (kubectl ? it : it.skip)('builds the cluster overlay (kubectl kustomize) into restricted pods whose every Secret and ConfigMap it generates', async () => {
      const dir = tempDir('kustomize');
      cpSync(path.join(DEPLOY, 'k8s'), path.join(dir, 'k8s'), { recursive: true, filter: (src) => !/(\/\.secrets|secrets\.env)$/.test(src) });
      const overlayDir = path.join(dir, 'k8s/overlays/cluster');
      await renderTrust(path.join(overlayDir, '.secrets'), K8S_TLS_HOSTS);
      cpSync(path.join(overlayDir, 'secrets.env.example'), path.join(overlayDir, 'secrets.env'));
      const built = spawnSync('kubectl', ['kustomize', overlayDir], { encoding: 'utf8' });
      expect(built.stderr).toBe('');
      const out = parseYaml(built.stdout, 'kustomize output');
      const names = (kind: string) => new Set(out.filter((o) => o.kind === kind).map((o) => o.metadata.name));
      for (const w of workloads(out)) {
        const spec = podSpecOf(w);
        expect([w.metadata.name, restrictedViolations(w.spec.template)]).toEqual([w.metadata.name, []]);
        for (const s of secretsOf(spec)) expect([w.metadata.name, s, names('Secret').has(s)]).toEqual([w.metadata.name, s, true]);
        const configMaps = [
          ...(spec.volumes ?? []).flatMap((v: any) => [v.configMap?.name, ...(v.projected?.sources ?? []).map((x: any) => x.configMap?.name)]),
          ...containersOf(spec).flatMap((c) => (c.envFrom ?? []).map((e: any) => e.configMapRef?.name)),
        ].filter(Boolean);
        for (const c of configMaps) expect([w.metadata.name, c, names('ConfigMap').has(c)]).toEqual([w.metadata.name, c, true]);
      }
      // The services' keys reach them as the variables their configuration reads.
      const intakeKeys = out.find((o) => o.kind === 'Secret' && o.metadata.name.startsWith('intake-keys'));
      expect(Object.keys(intakeKeys.data).sort()).toEqual(['VANTAGE_FEED_SIGNING_KEY', 'VANTAGE_IDENTITY_KEY', 'VANTAGE_NATS_ACCOUNT', 'VANTAGE_NATS_PREFIX', 'VANTAGE_SERVICE_KEYS']);
      expect(out.filter((o) => o.kind === 'NetworkPolicy').length).toBe(base.filter((o) => o.kind === 'NetworkPolicy').length);
      // With the optional component, organisations reach NATS's client port through a load balancer.
      writeFileSync(path.join(overlayDir, 'kustomization.yaml'), `${readFileSync(path.join(overlayDir, 'kustomization.yaml'), 'utf8')}components: [../../components/public-feeds]\n`);
      const withFeeds = spawnSync('kubectl', ['kustomize', overlayDir], { encoding: 'utf8' });
      expect(withFeeds.stderr).toBe('');
      const publicService = parseYaml(withFeeds.stdout, 'kustomize output').find((o) => o.kind === 'Service' && o.metadata.name === 'nats-public');
      expect(publicService).toMatchObject({ metadata: { namespace: 'vantage' }, spec: { type: 'LoadBalancer', ports: [{ port: 4222 }] } });
    });
  });
});

// --- Compose.
describe('deploy/compose.yaml and deploy/Dockerfile', () => {
  it('runs NATS with JetStream, Postgres, a setup step and every service from the one Dockerfile', () => {
    const config = readFileSync(path.join(DEPLOY, compose.configs['nats-conf'].file), 'utf8');
    expect(config).toMatch(/^jetstream \{/m);
    expect(compose.services.postgres).toBeDefined();
    expect(compose.services.setup.entrypoint).toEqual(['node', 'apps/launcher/src/migrate.js']);
    for (const service of SERVICE_NAMES) {
      expect(compose.services[service].build.args.SERVICE).toBe(service);
      expect(compose.services[service].depends_on.setup.condition).toBe('service_completed_successfully');
    }
  });

  it('starts NATS from its configuration file, with TLS and the rendered auth.conf beside it', () => {
    const nats = compose.services.nats;
    const configFile = nats.command[nats.command.indexOf('-c') + 1];
    const mounted = (target: string) => [...nats.configs, ...nats.secrets].find((m: any) => m.target === target)?.source;
    expect(mounted(configFile)).toBe('nats-conf');
    const config = readFileSync(path.join(DEPLOY, compose.configs['nats-conf'].file), 'utf8');
    const include = /^include (\S+)$/m.exec(config)?.[1] ?? '';
    expect(compose.configs[mounted(path.join(path.dirname(configFile), include))].file).toBe('.secrets/server/auth.conf');
    const tlsBlock = /\ntls \{([^}]*)\}/.exec(config)?.[1] ?? '';
    expect(compose.configs[mounted(/cert_file: "([^"]+)"/.exec(tlsBlock)?.[1] ?? '')]?.file).toBe('.secrets/tls/server.pem');
    expect(compose.secrets[mounted(/key_file: "([^"]+)"/.exec(tlsBlock)?.[1] ?? '')]?.file).toBe('.secrets/tls/server-key.pem');
  });

  it.each([...SERVICE_NAMES])('%s uses tls://, its own credentials and env file, and the CA, and nothing of the others', (service) => {
    const s = compose.services[service];
    expect(s.environment.NATS_URL).toBe('tls://nats:4222');
    const target = (file: string) => path.relative('/run/secrets', file);
    expect(s.secrets).toEqual(expect.arrayContaining([
      { source: `${service}-nats-creds`, target: target(s.environment.NATS_CREDS_FILE) },
      { source: 'nats-ca', target: target(s.environment.NATS_TLS_CA_FILE) },
    ]));
    expect(s.secrets).toHaveLength(2);
    expect(compose.secrets[`${service}-nats-creds`].file).toBe(`.secrets/creds/${service}.creds`);
    expect(compose.secrets['nats-ca'].file).toBe('.secrets/tls/ca.pem');
    expect(s.env_file).toEqual([`.secrets/env/${service}.env`]);
    for (const name of ['VANTAGE_IDENTITY_KEY', 'VANTAGE_SERVICE_KEYS', 'VANTAGE_FEED_SIGNING_KEY']) expect(s.environment[name]).toBeUndefined();
    expect(s.environment.VANTAGE_ENCRYPTION_KEYS !== undefined).toBe(service !== 'window-scheduler');
  });

  it('gives the setup step the database and nothing else', () => {
    expect(Object.keys(compose.services.setup.environment).filter((k) => /^NATS_|^VANTAGE_(ENCRYPTION|IDENTITY|SERVICE|FEED)/.test(k))).toEqual([]);
    expect(compose.services.setup.secrets).toBeUndefined();
  });

  it('runs its NATS configuration, with what `npm run nats-auth` writes, on a real nats-server: each service connects over TLS, an organisation reads only its own feed', async () => {
    const dir = tempDir('compose');
    // The host names compose.yaml tells the operator to give `tls`.
    const hosts = /nats-auth -- tls --out deploy\/\.secrets --hosts (\S+)/.exec(readFileSync(path.join(DEPLOY, 'compose.yaml'), 'utf8'))?.[1].split(',') ?? [];
    expect(hosts).toContain('nats');
    await renderTrust(dir, hosts);
    const local = (file: string) => path.join(dir, file.replace(/^\.secrets\//, ''));
    const rendered = [
      ...Object.values<any>(compose.configs).map((c) => c.file),
      ...Object.values<any>(compose.secrets).map((c) => c.file),
      ...SERVICE_NAMES.flatMap((s) => compose.services[s].env_file),
    ].filter((f: string) => f.startsWith('.secrets/'));
    for (const file of rendered) expect([file, existsSync(local(file))]).toEqual([file, true]);

    const nats = compose.services.nats;
    const mountedAt = new Map<string, string>([...nats.configs, ...nats.secrets].map((m: any) => [m.target, (compose.configs[m.source] ?? compose.secrets[m.source]).file]));
    const configFile = nats.command[nats.command.indexOf('-c') + 1];
    const [client, monitor] = [await freePort(), await freePort()];
    const text = rewrite(readFileSync(path.join(DEPLOY, mountedAt.get(configFile)!), 'utf8'), [
      ['listen: "0.0.0.0:4222"', `listen: "127.0.0.1:${client}"`],
      ['http: "127.0.0.1:8222"', `http: "127.0.0.1:${monitor}"`],
      ['store_dir: "/data"', `store_dir: ${JSON.stringify(path.join(dir, 'data'))}`],
      ...[...mountedAt].filter(([, file]) => file.startsWith('.secrets/tls/')).map(([target, file]): [string, string] => [`"${target}"`, JSON.stringify(local(file))]),
    ]);
    // Beside auth.conf, where compose mounts it.
    const conf = path.join(dir, 'server', 'compose.conf');
    writeFileSync(conf, text);
    await startNatsServer(conf);
    const info = await serverInfo(client);
    expect({ tls: info.tls_required, auth: info.auth_required }).toEqual({ tls: true, auth: true });
    // The healthcheck's URL answers.
    const health = /wget -qO- '([^']+)'/.exec(nats.healthcheck.test[1])?.[1] ?? '';
    await waitFor(async () => (await fetch(health.replace(':8222', `:${monitor}`)).catch(() => undefined))?.status === 200, { what: 'the healthcheck', timeoutMs: 20_000, intervalMs: 100 });
    // Each service connects by the name in its NATS_URL, with the credentials and CA compose mounts for it.
    for (const service of SERVICE_NAMES) {
      const host = new URL(compose.services[service].environment.NATS_URL).hostname;
      const nc = await connectAsService(dir, service, client, host);
      try {
        expect([service, typeof (await (await nc.jetstreamManager()).getAccountInfo()).memory]).toEqual([service, 'number']);
      } finally {
        await nc.close();
      }
    }

    // An organisation on the host reads its own feed there (NATS_PUBLIC_URL, a name the certificate carries) with
    // deploy/nats/read-feed.ts and the credentials the gateway would issue it, and sees no one else's events.
    const trust = checkNatsTrust(JSON.parse(readFileSync(path.join(dir, 'trust.json'), 'utf8')));
    const ca = readFileSync(path.join(dir, 'tls', 'ca.pem'), 'utf8');
    const publicUrl = new URL(compose.services.intake.environment.NATS_PUBLIC_URL.replace(/^\$\{NATS_PUBLIC_URL:-(.*)\}$/, '$1'));
    const admin = await connect({ ...natsConnectionOptions({ url: `tls://127.0.0.1:${client}`, name: 'admin', creds: await adminCreds(trust) }), tls: tlsAs(ca, publicUrl.hostname) });
    const stream = feedStreamName('vantage');
    try {
      await (await admin.jetstreamManager()).streams.add({ name: stream, subjects: ['vantage.feed.>'] });
      for (const org of ['org-a', 'org-b']) await admin.jetstream().publish(`vantage.feed.${org}.gov.vantage.window.window.opened.v1`, new TextEncoder().encode(JSON.stringify({ for: org })));
    } finally {
      await admin.close();
    }
    const issued = await issueFeedCredentials(feedSignerOf(trust), 'org-a', { expiresAt: new Date(Date.now() + 3_600_000) });
    const credentials: FeedCredentials = {
      user: issued.user, creds: issued.creds, inboxPrefix: issued.inboxPrefix, stream, filterSubject: 'vantage.feed.org-a.>', consumers: issued.consumers,
      // The public URL's host (the certificate must name it), on this test's port.
      expiresAt: issued.expiresAt.toISOString(), servers: [`tls://${publicUrl.hostname}:${client}`],
    };
    const feed = await connectToFeed(credentials, { ca });
    const events: unknown[] = [];
    try {
      expect(await readFeed(feed, credentials, { idleMs: 1000 }, (_subject, event) => events.push(event))).toBe(1);
    } finally {
      await feed.drain();
    }
    expect(events).toEqual([{ for: 'org-a' }]);
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
