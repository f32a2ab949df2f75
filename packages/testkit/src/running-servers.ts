import { execFileSync } from 'node:child_process';
import { STOP_POSTGRES_SCRIPT } from './script-paths.js';

// Directories of servers started by this process and not yet stopped. A test run that throws
// before its afterAll would otherwise leave postgres processes behind.
const running = new Set<string>();
let exitHookInstalled = false;

export function trackServer(dir: string): void {
  running.add(dir);
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.once('exit', stopLeftoverServers);
}

export function untrackServer(dir: string): void {
  running.delete(dir);
}

function stopLeftoverServers(): void {
  for (const dir of running) {
    try {
      execFileSync('bash', [STOP_POSTGRES_SCRIPT, dir], { stdio: 'ignore' });
    } catch {
      // Exiting anyway; the directory name in the temp dir tells a human what was left.
    }
  }
  running.clear();
}
