// Processes the benchmarks run: a server that prints "listening on <url>", and the load generator.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const LOAD = fileURLToPath(new URL('./load.mjs', import.meta.url));

/** Starts `node <args>` and resolves once it prints the URL it listens on. */
export function startProcess(args) {
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`${args[0]} exited with code ${code} before listening`)));
    child.stdout.on('data', (chunk) => {
      const url = /listening on (http:\/\/[^\s]+)/.exec(String(chunk))?.[1];
      if (url) resolve({ url, child });
    });
  });
}

export function stopProcess(child) {
  return new Promise((resolve) => {
    child.removeAllListeners('exit');
    child.once('exit', resolve);
    child.kill('SIGTERM');
  });
}

/** Runs load.mjs against the server for a fixed time; resolves with its results (events, statuses, p50, p99). */
export function runLoad(url, writeKey, { connections, seconds, batch }) {
  const child = spawn(process.execPath, [LOAD, url, writeKey, String(connections), String(seconds), String(batch)], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let output = '';
  child.stdout.on('data', (chunk) => (output += chunk));
  return new Promise((resolve, reject) =>
    child.once('exit', (code) => (code === 0 ? resolve(JSON.parse(output)) : reject(new Error(`load exited ${code}`)))),
  );
}
