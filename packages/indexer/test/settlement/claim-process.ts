// The parent's side of fixtures/claim-child.ts: starts it the way workspace TypeScript runs, waits for its STOPPED
// line and kills it with SIGKILL.
import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { ClaimChildOptions } from './fixtures/claim-child.js';

const script = fileURLToPath(new URL('./fixtures/claim-child.ts', import.meta.url));
const repoRoot = fileURLToPath(new URL('../../../../', import.meta.url));

/** Where the child stopped: its claim id and the signature it stored. */
export interface Stopped {
  claimId: number;
  signature: string;
}

/**
 * Runs a claim in a child process until it reports the stop point, then SIGKILLs it and waits until it is gone.
 * Rejects with the child's stderr if it ends another way (generous timeout: tsx compiles on a 2-core box).
 */
export async function claimThenKill(options: ClaimChildOptions, timeoutMs = 120_000): Promise<Stopped> {
  const child: ChildProcess = spawn(
    process.execPath,
    ['--conditions=@attention-oracle/source', '--import', 'tsx', script, JSON.stringify(options)],
    { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  const closed = new Promise<void>((resolve) => child.once('close', () => resolve()));
  let stdout = '';
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  try {
    return await new Promise<Stopped>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`claim child did not stop in time: ${stderr}`)), timeoutMs);
      child.stdout?.on('data', (chunk: Buffer) => {
        stdout += chunk.toString();
        const line = stdout.split('\n').find((l) => l.startsWith('STOPPED ') || l.startsWith('RESULT '));
        if (!line) return;
        clearTimeout(timer);
        const [word, id, signature] = line.split(' ');
        if (word === 'STOPPED' && id && signature) resolve({ claimId: Number(id), signature });
        else reject(new Error(`claim child finished instead of stopping: ${line}`));
      });
      child.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`claim child exited with ${code}: ${stderr}`));
      });
    });
  } finally {
    child.kill('SIGKILL');
    await closed;
  }
}
