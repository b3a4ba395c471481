// Stands in for read-worker.js in read-pool.test.ts. The request's tz says what it does: answer
// (with the worker's thread id), never answer, refuse the zone, or die.
import { parentPort, threadId } from 'node:worker_threads';

parentPort.on('message', (request) => {
  if (request.tz === 'never') return;
  if (request.tz === 'dies') throw new Error('the worker died');
  if (request.tz === 'refused') return parentPort.postMessage({ error: 'not whole quarter hours', timeZone: true });
  parentPort.postMessage({ report: { tz: request.tz, threadId } });
});
