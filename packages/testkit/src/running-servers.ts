import { execFileSync } from 'node:child_process';

// Directories of servers started by this process and not yet stopped, each with the script that
// stops it. A test run that throws before its afterAll would otherwise leave servers behind.
const running = new Map<string, string>();
let exitHookInstalled = false;

export function trackServer(dir: string, stopScript: string): void {
  running.set(dir, stopScript);
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.once('exit', stopLeftoverServers);
}

export function untrackServer(dir: string): void {
  running.delete(dir);
}

function stopLeftoverServers(): void {
  for (const [dir, stopScript] of running) {
    try {
      execFileSync('bash', [stopScript, dir], { stdio: 'ignore' });
    } catch {
      // Exiting anyway; the directory name in the temp dir tells a human what was left.
    }
  }
  running.clear();
}
