// The training worker (bundled to dist/worker.js): runs one training at a time off the
// extension host's thread. What it does with each message is in ./trainingJob.ts; this file
// is the thread around it.
import { parentPort } from 'node:worker_threads';
import type { WorkerToHost } from '../shared/workerProtocol';
import { trainingWorker } from './trainingJob';

const handle = trainingWorker({
  post: (m: WorkerToHost) => parentPort?.postMessage(m),
  defer: (fn) => setImmediate(fn),
});
parentPort?.on('message', handle);
parentPort?.postMessage({ type: 'ready' } satisfies WorkerToHost);
