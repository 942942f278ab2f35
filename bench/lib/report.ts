// Prints a benchmark's RESULT line and records it, with the machine it ran on, in bench/RESULTS.md.
import { readFileSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';

const resultsFile = new URL('../RESULTS.md', import.meta.url);

/** Logs a progress line to stderr, so stdout ends with the RESULT line alone. */
export function progress(message: string): void {
  process.stderr.write(`[bench] ${message}\n`);
}

/** Seconds since `start` (a performance.now() value). */
export const secondsSince = (start: number) => (performance.now() - start) / 1000;

/** Peak resident set size of this process so far, in MB. */
export const peakRssMb = () => Math.round(process.resourceUsage().maxRSS / 1024);

/** Prints `RESULT <name> k=v ...` and replaces this benchmark's section in bench/RESULTS.md. */
export function report(name: string, figures: Record<string, string | number>, notes: string[]): void {
  const line = `RESULT ${name} ${Object.entries(figures)
    .map(([k, v]) => `${k}=${v}`)
    .join(' ')}`;
  const machine = `${cpus().length} x ${cpus()[0]?.model.trim() ?? 'unknown cpu'}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}`;
  const section = [
    `## ${name}`,
    '',
    '```',
    line,
    '```',
    '',
    `Run ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC on ${machine} (\`pnpm bench:${name}\`).`,
    '',
    ...notes.map((note) => `- ${note}`),
    '',
  ].join('\n');
  let text =
    '# Benchmark results\n\nLatest figures of each `pnpm bench:<name>`, rewritten by the benchmark itself.\n\n';
  try {
    text = readFileSync(resultsFile, 'utf8');
  } catch {}
  const pattern = new RegExp(`## ${name}\\n[\\s\\S]*?(?=\\n+## |\\s*$)`);
  text = pattern.test(text) ? text.replace(pattern, section.trimEnd()) : `${text.trimEnd()}\n\n${section}`;
  writeFileSync(resultsFile, `${text.trimEnd()}\n`);
  console.log(line);
}
