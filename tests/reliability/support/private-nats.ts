// nats-server processes of the fault test's own (one server, or a three-node JetStream cluster), each with its
// store in a temporary directory and on free ports: they can be killed and restarted without touching the NATS
// other tests share. Finding the binary, running and probing it are the launcher's, as `npm start` does.
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect } from 'nats';
import { freePort } from '@vantage/testing';
import { findNatsServer, probeNatsServer } from '../../../apps/launcher/src/start/nats';
import { ManagedProcess } from '../../../apps/launcher/src/start/processes';
import { pollUntil } from '../../../apps/launcher/src/start/wait';

interface Node {
  name: string;
  port: number;
  clusterPort?: number;
  storeDir: string;
  process?: ManagedProcess;
}

export class PrivateNats {
  /** How many times a node was killed and started again. */
  restarts = 0;

  private constructor(
    private readonly binary: string,
    private readonly dir: string,
    private readonly nodes: Node[],
  ) {}

  /** Every node's client URL, comma-separated, as NATS_URL takes them. */
  get url(): string {
    return this.nodes.map((n) => `nats://127.0.0.1:${n.port}`).join(',');
  }

  get size(): number {
    return this.nodes.length;
  }

  /** `nodes` 1: a single JetStream server; 3: a cluster whose streams can have 3 replicas. */
  static async start(nodes: 1 | 3 = 1): Promise<PrivateNats> {
    const binary = findNatsServer();
    if (!binary) throw new Error('nats-server is not installed (looked on the PATH, /usr/sbin, /usr/local/bin)');
    const dir = mkdtempSync(join(tmpdir(), 'vantage-rel-nats-'));
    const list: Node[] = [];
    for (let i = 0; i < nodes; i++) {
      const storeDir = join(dir, `n${i + 1}`);
      mkdirSync(storeDir);
      list.push({ name: `n${i + 1}`, port: await freePort(), clusterPort: nodes > 1 ? await freePort() : undefined, storeDir });
    }
    const nats = new PrivateNats(binary, dir, list);
    try {
      await Promise.all(list.map((_, i) => nats.launch(i)));
      await nats.waitForJetStream();
    } catch (e) {
      await nats.dispose();
      throw e;
    }
    return nats;
  }

  private async launch(i: number): Promise<void> {
    const node = this.nodes[i];
    const args = ['-js', '-a', '127.0.0.1', '-p', String(node.port), '-sd', node.storeDir, '-n', node.name];
    if (node.clusterPort) {
      const routes = this.nodes.filter((n) => n !== node).map((n) => `nats://127.0.0.1:${n.clusterPort}`).join(',');
      args.push('--cluster_name', 'vantage-rel', '--cluster', `nats://127.0.0.1:${node.clusterPort}`, '--routes', routes);
    }
    const server = new ManagedProcess({ name: `nats-${node.name}`, command: this.binary, args, cwd: this.dir, env: process.env, echo: false });
    node.process = server;
    const died = server.exited.then((exit) => {
      throw new Error(`nats-server ${node.name} exited while starting (${exit.signal ?? exit.code}):\n${server.lastLines().join('\n')}`);
    });
    died.catch(() => undefined);
    await pollUntil(async () => (await probeNatsServer('127.0.0.1', node.port, 1000)).state === 'up', {
      what: `nats-server ${node.name} on port ${node.port}`,
      timeoutMs: 20_000,
      intervalMs: 100,
      abort: died,
    });
  }

  /** JetStream answers (in a cluster: a meta leader has been elected), through every live node. */
  async waitForJetStream(): Promise<void> {
    for (const node of this.nodes.filter((n) => n.process && !n.process.hasExited)) {
      await pollUntil(
        async () => {
          const nc = await connect({ servers: `nats://127.0.0.1:${node.port}`, timeout: 1000 }).catch(() => undefined);
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
        { what: `JetStream on nats-server ${node.name}`, timeoutMs: 30_000, intervalMs: 200 },
      );
    }
  }

  /** kill -9 one node (by index). */
  async kill(i: number): Promise<void> {
    const p = this.nodes[i].process;
    if (p && !p.hasExited) {
      p.signal('SIGKILL');
      await p.exited;
    }
  }

  /** Starts a killed node again: the same port, the same store. */
  async restart(i: number): Promise<void> {
    await this.launch(i);
    this.restarts++;
  }

  async dispose(): Promise<void> {
    await Promise.all(this.nodes.map((n) => (n.process && !n.process.hasExited ? n.process.stop(5_000) : undefined)));
    rmSync(this.dir, { recursive: true, force: true });
  }
}
