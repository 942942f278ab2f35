// Streams a text file line by line, so an import of any size holds one chunk of rows in memory.
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { createInterface } from 'node:readline';

/** One line of a file, without its line ending; `bytesRead` counts what the stream has read so far. */
export interface Line {
  readonly text: string;
  readonly number: number;
  readonly bytesRead: number;
}

/** The size of `file` in bytes, for progress. */
export async function fileSize(file: string): Promise<number> {
  return (await stat(file)).size;
}

/** The lines of `file`, 1-based, LF or CRLF endings; a UTF-8 byte order mark on the first line is dropped. */
export async function* readLines(file: string): AsyncGenerator<Line> {
  const stream = createReadStream(file, { encoding: 'utf8', highWaterMark: 1 << 20 });
  const lines = createInterface({ input: stream, crlfDelay: Number.POSITIVE_INFINITY });
  let number = 0;
  try {
    for await (const raw of lines) {
      number += 1;
      const text = number === 1 && raw.startsWith('\uFEFF') ? raw.slice(1) : raw;
      yield { text, number, bytesRead: stream.bytesRead };
    }
  } finally {
    lines.close();
    stream.destroy();
  }
}
