// Child processes, ports and /proc readings shared by the benchmark suites. Every long-lived
// child is registered so that one `stopAll()` (also on Ctrl-C) leaves nothing running.
import { execFile, execFileSync, spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { connect, createServer } from 'node:net';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('../../../', import.meta.url));

const stoppers = [];

/** Registers a cleanup step; `stopAll` runs them newest first. */
export function onStop(step) {
  stoppers.push(step);
}

/** Runs the cleanup steps registered after the `mark`-th one, newest first. */
async function stopDownTo(mark) {
  while (stoppers.length > mark) {
    const step = stoppers.pop();
    try {
      await step();
    } catch (error) {
      console.error(`bench: cleanup step failed: ${error.message}`);
    }
  }
}

export function stopAll() {
  return stopDownTo(0);
}

/** Runs `body`, then stops what it started, so one suite's servers do not load the next one's runs. */
export async function scoped(body) {
  const mark = stoppers.length;
  try {
    return await body();
  } finally {
    await stopDownTo(mark);
  }
}

/**
 * Runs a program to completion and resolves with its output; rejects with the end of its
 * stderr when it exits non-zero, so a failing tool says why. `input` is written to its stdin.
 */
export function run(program, args, options = {}) {
  const { input, ...execOptions } = options;
  return new Promise((resolve, reject) => {
    const child = execFile(
      program,
      args,
      { cwd: ROOT, maxBuffer: 64 * 1024 * 1024, ...execOptions },
      (error, stdout, stderr) => {
        if (error) {
          const tail = `${stderr}${stdout}`.trim().split('\n').slice(-8).join('\n');
          reject(new Error(`${program} ${args.join(' ')} failed (${error.code ?? error.signal}):\n${tail}`));
        } else {
          resolve({ stdout, stderr });
        }
      },
    );
    // execFile has no `input` option (only its sync sibling does): feed stdin by hand.
    child.stdin.end(input);
  });
}

export function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
    server.once('error', reject);
  });
}

/** Resolves once something accepts TCP connections on the port; rejects when `child` died first. */
export async function waitForPort(port, child, what) {
  for (let attempt = 0; attempt < 300; attempt++) {
    if (child && child.exitCode !== null) throw new Error(`${what} exited with code ${child.exitCode}`);
    const open = await new Promise((resolve) => {
      const socket = connect(port, '127.0.0.1');
      socket.once('connect', () => {
        socket.destroy();
        resolve(true);
      });
      socket.once('error', () => resolve(false));
    });
    if (open) return;
    await sleep(50);
  }
  throw new Error(`${what} did not listen on port ${port} within 15 s`);
}

export function sleep(ms) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/**
 * Starts a long-lived child (gateway, proxy, pooler), keeps the end of its stderr for error
 * messages, and registers its termination.
 */
export function spawnDaemon(program, args, options = {}) {
  const child = spawn(program, args, { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'], ...options });
  let errors = '';
  child.stderr?.on('data', (chunk) => {
    errors = `${errors}${chunk}`.slice(-4000);
  });
  child.stdout?.resume();
  child.errorTail = () => errors.trim();
  onStop(() => terminate(child));
  return child;
}

/** SIGTERM, then SIGKILL if the child has not exited within two seconds. */
export async function terminate(child) {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 2000);
  await exited;
  clearTimeout(timer);
}

/** Resident and peak resident memory of a process in MiB, from /proc/<pid>/status. */
export function memoryOf(pid) {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kib = (field) => Number(new RegExp(`${field}:\\s+(\\d+)`).exec(status)?.[1] ?? Number.NaN);
  return { rssMiB: kib('VmRSS') / 1024, peakMiB: kib('VmHWM') / 1024 };
}

export function openFilesOf(pid) {
  return readdirSync(`/proc/${pid}/fd`).length;
}

/**
 * Samples a process's VmRSS every `intervalMs` until the returned function is called, which
 * gives the highest value seen (VmHWM covers the process's whole life; this covers one run).
 */
export function sampleRss(pid, intervalMs = 25) {
  let highest = 0;
  const read = () => {
    try {
      highest = Math.max(highest, memoryOf(pid).rssMiB);
    } catch {
      // The process is gone; the highest value so far stands.
    }
  };
  read();
  const timer = setInterval(read, intervalMs);
  return () => {
    clearInterval(timer);
    read();
    return highest;
  };
}

let ticksPerSecond;

/**
 * CPU time a process has used so far, user and system, all its threads, in seconds: utime and
 * stime from /proc/<pid>/stat (fields 14 and 15, in clock ticks). Undefined without a pid; the
 * sum over the processes of a contender made of several (two gateways and their balancer).
 */
export function cpuSecondsOf(pid) {
  if (pid === undefined) return undefined;
  if (Array.isArray(pid)) return pid.reduce((total, each) => total + cpuSecondsOf(each), 0);
  ticksPerSecond ??= Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // The command name in field 2 may hold spaces; the fields after its closing parenthesis do not.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / ticksPerSecond;
}

/** Microseconds of a proxy's CPU time per transaction between two `cpuSecondsOf` readings. */
export function cpuUsPer(before, after, transactions) {
  if (before === undefined || after === undefined || !(transactions > 0)) return Number.NaN;
  return ((after - before) * 1e6) / transactions;
}
