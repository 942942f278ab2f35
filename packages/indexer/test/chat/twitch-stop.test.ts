import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';

const packageDir = fileURLToPath(new URL('../..', import.meta.url));

it('stop() leaves nothing that keeps the process alive, even mid-reconnect and mid-replacement', async () => {
  const child = spawn(
    process.execPath,
    ['--conditions=@attention-oracle/source', '--import', 'tsx', 'test/chat/fixtures/stop-cleanly.ts'],
    { cwd: packageDir, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let output = '';
  child.stdout.on('data', (chunk) => {
    output += chunk;
  });
  child.stderr.on('data', (chunk) => {
    output += chunk;
  });
  // The pending reconnect alone would hold the process for two minutes; exiting well before that means it was cleared.
  const code = await new Promise<number | null>((resolve) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      resolve(null);
    }, 60_000);
    child.on('exit', (exitCode) => {
      clearTimeout(timer);
      resolve(exitCode);
    });
  });
  expect(output).toContain('stopped');
  expect(code, output).toBe(0);
  expect(output).toMatch(/"connections":0/);
}, 90_000);
