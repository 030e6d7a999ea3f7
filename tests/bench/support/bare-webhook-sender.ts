// The notifier benchmark's baseline sender, run in a worker thread so that, like the notifier's own process, it has
// an event loop apart from the receivers': per endpoint, `lane` loops that each sign with `standardwebhooks` and
// POST one delivery at a time with undici (the notifier's client), on kept-alive connections, until every body has
// gone to every endpoint.
import { parentPort, workerData } from 'node:worker_threads';
import { Webhook } from 'standardwebhooks';
import { Agent, request } from 'undici';

export interface BareSenderJob {
  urls: string[];
  secrets: string[];
  bodies: { id: string; body: string }[];
  lane: number;
}

export async function sendAll(job: BareSenderJob): Promise<void> {
  const dispatcher = new Agent({ keepAliveTimeout: 4_000 });
  const signers = job.secrets.map((s) => new Webhook(s));
  const post = async (url: string, signer: Webhook, d: { id: string; body: string }) => {
    const at = new Date();
    const res = await request(url, {
      method: 'POST',
      dispatcher,
      body: d.body,
      headers: {
        'content-type': 'application/cloudevents+json',
        'user-agent': 'Vantage-Webhooks/1',
        'webhook-id': d.id,
        'webhook-timestamp': String(Math.floor(at.getTime() / 1000)),
        'webhook-signature': signer.sign(d.id, at, d.body),
      },
    });
    await res.body.dump();
  };
  await Promise.all(
    job.urls.flatMap((url, i) => {
      let next = 0;
      return Array.from({ length: job.lane }, async () => {
        while (next < job.bodies.length) await post(url, signers[i], job.bodies[next++]);
      });
    }),
  );
  await dispatcher.close();
}

// In the worker: run the job it was given and say when it is done.
if (parentPort && workerData?.bareSenderJob) {
  sendAll(workerData.bareSenderJob as BareSenderJob).then(
    () => parentPort!.postMessage({ done: true }),
    (e) => parentPort!.postMessage({ error: String((e as Error)?.stack ?? e) }),
  );
}
