// The notifier benchmark's baseline sender, run in a worker thread so that, like the notifier's own process, it has
// an event loop apart from the receivers': per endpoint, `lane` loops that each sign with `standardwebhooks` and
// POST one delivery at a time, on kept-alive connections, until every body has gone to every endpoint.
import { Agent, request as httpRequest } from 'node:http';
import { parentPort, workerData } from 'node:worker_threads';
import { Webhook } from 'standardwebhooks';

export interface BareSenderJob {
  urls: string[];
  secrets: string[];
  bodies: { id: string; body: string }[];
  lane: number;
}

export async function sendAll(job: BareSenderJob): Promise<void> {
  const agent = new Agent({ keepAlive: true, scheduling: 'lifo' });
  const signers = job.secrets.map((s) => new Webhook(s));
  const post = (url: string, signer: Webhook, d: { id: string; body: string }) =>
    new Promise<void>((resolve, reject) => {
      const at = new Date();
      const req = httpRequest(url, {
        method: 'POST',
        agent,
        headers: {
          'content-type': 'application/cloudevents+json',
          'user-agent': 'Vantage-Webhooks/1',
          'webhook-id': d.id,
          'webhook-timestamp': String(Math.floor(at.getTime() / 1000)),
          'webhook-signature': signer.sign(d.id, at, d.body),
          'content-length': String(Buffer.byteLength(d.body)),
        },
      });
      req.on('response', (res) => {
        res.resume();
        resolve();
      });
      req.on('error', reject);
      req.end(d.body);
    });
  await Promise.all(
    job.urls.flatMap((url, i) => {
      let next = 0;
      return Array.from({ length: job.lane }, async () => {
        while (next < job.bodies.length) await post(url, signers[i], job.bodies[next++]);
      });
    }),
  );
  agent.destroy();
}

// In the worker: run the job it was given and say when it is done.
if (parentPort && workerData?.bareSenderJob) {
  sendAll(workerData.bareSenderJob as BareSenderJob).then(
    () => parentPort!.postMessage({ done: true }),
    (e) => parentPort!.postMessage({ error: String((e as Error)?.stack ?? e) }),
  );
}
