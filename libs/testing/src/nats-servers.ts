// The NATS servers of one test environment: a nats-server of its own (or a three-node JetStream cluster for fault
// tests), in operator (JWT) mode with the environment's own trust, so that every service connects with its own
// credentials and may touch only its own subjects, as in a deployment. Each has its store in a temporary directory
// and listens on free ports; it can be killed and restarted without touching any other test's. With a Docker engine
// answering, the single server runs in a container (testcontainers) from the same configuration instead.
import { ChildProcess, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect } from 'nats';
import { adminCreds, findNatsServer, natsConnectionOptions, natsServerConfig, NatsServerSettings, NatsTrust } from '@vantage/messaging';
import { dockerAnswers } from './infrastructure';
import { freePort } from './ports';
import { waitFor } from './wait-for';

interface Node {
  name: string;
  port: number;
  clusterPort?: number;
  storeDir: string;
  configFile: string;
  child?: ChildProcess;
  exited?: Promise<void>;
  output: string[];
}

/** Every nats-server this process started and has not stopped: killed if the process exits first (a jest worker that
 * ends, or a test file that times out before its dispose), so that none outlives its tests. */
const LIVE = new Set<ChildProcess>();
let reaping = false;
function reapAtExit(): void {
  if (reaping) return;
  reaping = true;
  process.once('exit', () => {
    for (const child of LIVE) child.kill('SIGKILL');
  });
}

export interface NatsServersOptions {
  nodes?: 1 | 3;
  /** PEM certificate and key files the servers present (they then require TLS), and the CA that signed them. */
  tls?: { certFile: string; keyFile: string; caFile: string };
}

export class NatsServers {
  /** How many times a node was killed and started again. */
  restarts = 0;
  private container?: { stop(): Promise<unknown> };
  private containerUrl?: string;

  private constructor(
    private readonly trust: NatsTrust,
    private readonly dir: string,
    private readonly nodes: Node[],
    private readonly tls?: { caFile: string },
  ) {}

  /** Every node's client URL, comma-separated, as NATS_URL takes them. */
  get url(): string {
    if (this.containerUrl) return this.containerUrl;
    return this.nodes.map((n) => `${this.tls ? 'tls' : 'nats'}://127.0.0.1:${n.port}`).join(',');
  }

  get size(): number {
    return this.nodes.length;
  }

  /** The CA the servers' certificates chain to, when they require TLS (a client's NATS_TLS_CA_FILE). */
  get tlsCaFile(): string | undefined {
    return this.tls?.caFile;
  }

  static async start(trust: NatsTrust, opts: NatsServersOptions = {}): Promise<NatsServers> {
    const count = opts.nodes ?? 1;
    const dir = mkdtempSync(join(tmpdir(), 'vantage-nats-'));
    const nodes: Node[] = [];
    for (let i = 0; i < count; i++) {
      const storeDir = join(dir, `n${i + 1}`);
      mkdirSync(storeDir);
      nodes.push({ name: `n${i + 1}`, port: await freePort(), clusterPort: count > 1 ? await freePort() : undefined, storeDir, configFile: join(dir, `n${i + 1}.conf`), output: [] });
    }
    const servers = new NatsServers(trust, dir, nodes, opts.tls);
    try {
      for (const node of nodes) {
        const settings: NatsServerSettings = {
          host: '127.0.0.1',
          port: node.port,
          storeDir: node.storeDir,
          serverName: node.name,
          ...(opts.tls ? { tls: { certFile: opts.tls.certFile, keyFile: opts.tls.keyFile } } : {}),
          ...(node.clusterPort
            ? { cluster: { name: 'vantage-test', host: '127.0.0.1', port: node.clusterPort, routes: nodes.filter((n) => n !== node).map((n) => `nats://127.0.0.1:${n.clusterPort}`) } }
            : {}),
        };
        writeFileSync(node.configFile, await natsServerConfig(trust, settings), { mode: 0o600 });
      }
      if (count === 1 && !opts.tls && (await useContainer())) await servers.startContainer();
      else await Promise.all(nodes.map((_, i) => servers.launch(i)));
      await servers.waitForJetStream();
    } catch (e) {
      await servers.dispose();
      throw e;
    }
    return servers;
  }

  private async startContainer(): Promise<void> {
    const { GenericContainer, Wait } = await import('testcontainers');
    const node = this.nodes[0];
    const config = await natsServerConfig(this.trust, { host: '0.0.0.0', port: 4222, storeDir: '/data' });
    const container = await new GenericContainer('nats:2.10')
      .withCopyContentToContainer([{ content: config, target: '/etc/nats/vantage.conf' }])
      .withCommand(['-c', '/etc/nats/vantage.conf'])
      .withExposedPorts(4222)
      .withWaitStrategy(Wait.forLogMessage(/Server is ready/))
      .start();
    this.container = container;
    this.containerUrl = `nats://${container.getHost()}:${container.getMappedPort(4222)}`;
    node.port = container.getMappedPort(4222);
  }

  private async launch(i: number): Promise<void> {
    const node = this.nodes[i];
    const binary = findNatsServer();
    if (!binary) throw new Error('nats-server is not installed (looked on the PATH, /usr/sbin, /usr/local/bin): sudo apt-get install nats-server');
    node.output = [];
    const child = spawn(binary, ['-c', node.configFile], { cwd: this.dir, stdio: ['ignore', 'pipe', 'pipe'] });
    node.child = child;
    reapAtExit();
    LIVE.add(child);
    child.once('exit', () => LIVE.delete(child));
    const collect = (chunk: Buffer) => {
      node.output.push(...chunk.toString('utf8').split('\n').filter(Boolean));
      if (node.output.length > 200) node.output.splice(0, node.output.length - 200);
    };
    child.stdout?.on('data', collect);
    child.stderr?.on('data', collect);
    node.exited = new Promise((resolve) => child.once('exit', () => resolve()));
    let exited = false;
    void node.exited.then(() => (exited = true));
    await waitFor(
      async () => {
        if (exited) throw new Error(`nats-server ${node.name} exited while starting:\n${node.output.slice(-20).join('\n')}`);
        return node.output.some((l) => /Server is ready/.test(l));
      },
      { timeoutMs: 20_000, intervalMs: 50, what: `nats-server ${node.name} on port ${node.port}` },
    );
  }

  /** JetStream answers (in a cluster: a meta leader has been elected), through every live node. */
  async waitForJetStream(): Promise<void> {
    const creds = await adminCreds(this.trust, 'vantage-test-probe');
    const live = this.containerUrl ? [this.containerUrl] : this.nodes.filter((n) => n.child && n.child.exitCode === null && n.child.signalCode === null).map((n) => `${this.tls ? 'tls' : 'nats'}://127.0.0.1:${n.port}`);
    for (const url of live) {
      await waitFor(
        async () => {
          const tlsCa = this.tls ? readFileSync(this.tls.caFile, 'utf8') : undefined;
          const nc = await connect({ ...natsConnectionOptions({ url, name: 'probe', creds, tlsCa }), timeout: 1000 }).catch(() => undefined);
          if (!nc) return false;
          try {
            await (await nc.jetstreamManager({ timeout: 1000 })).getAccountInfo();
            return true;
          } catch {
            return false;
          } finally {
            await nc.close();
          }
        },
        { what: `JetStream on ${url}`, timeoutMs: 30_000, intervalMs: 100 },
      );
    }
  }

  /** kill -9 one node (by index). */
  async kill(i: number): Promise<void> {
    const node = this.nodes[i];
    if (node.child && node.child.exitCode === null && node.child.signalCode === null) {
      node.child.kill('SIGKILL');
      await node.exited;
    }
  }

  /** Starts a killed node again: the same port, the same store. */
  async restart(i: number): Promise<void> {
    await this.launch(i);
    this.restarts++;
  }

  /** The last lines a node printed (for a test's failure message). */
  lastLines(i = 0): string[] {
    return this.nodes[i].output.slice(-40);
  }

  async dispose(): Promise<void> {
    await this.container?.stop().catch(() => undefined);
    await Promise.all(
      this.nodes.map(async (n) => {
        if (!n.child || n.child.exitCode !== null || n.child.signalCode !== null) return;
        n.child.kill('SIGTERM');
        const timer = setTimeout(() => n.child?.kill('SIGKILL'), 5000);
        await n.exited;
        clearTimeout(timer);
      }),
    );
    rmSync(this.dir, { recursive: true, force: true });
  }
}

function useContainer(): Promise<boolean> {
  return dockerAnswers();
}
