// The external-credit file (V5 base yield per wallet), parsed strictly: any bad line is an ImportError naming it.
import { base58Decode, InvalidArgumentError, toHex, U64_MAX } from '@attention-oracle/core';
import { ImportError } from '../epochs/import-error.js';

/** The parsed rows of an external-credit file, in file order. */
export interface ExternalCreditRows {
  /** Wallets, 32 bytes each, as lowercase hex. */
  readonly wallets: string[];
  readonly baseYields: bigint[];
  /** The 1-based line of each row. */
  readonly lines: number[];
}

const HEADER = 'wallet,base_yield';
const AMOUNT = /^(0|[1-9][0-9]{0,19})$/;
const BOM = [0xef, 0xbb, 0xbf];

/**
 * Parses `bytes` (the contents of `file`): a header line `wallet,base_yield`, then `<base58 wallet>,<u64 decimal>`
 * per line, LF or CRLF line endings, empty lines ignored, each wallet once.
 *
 * @example const { wallets, baseYields } = parseExternalCredits(await readFile(path), path);
 */
export function parseExternalCredits(bytes: Uint8Array, file: string): ExternalCreditRows {
  const start = BOM.every((b, i) => bytes[i] === b) ? 3 : 0;
  let line = 1;
  for (let i = start; i < bytes.length; i++) {
    const byte = bytes[i] as number;
    if (byte === 0x0a) line += 1;
    else if (byte !== 0x0d && (byte < 0x20 || byte > 0x7e)) {
      throw new ImportError(
        file,
        line,
        `unexpected byte 0x${byte.toString(16).padStart(2, '0')}: the file must be ASCII`,
      );
    }
  }
  const text = Buffer.from(bytes.buffer, bytes.byteOffset + start, bytes.length - start).toString('latin1');
  const rows: ExternalCreditRows = { wallets: [], baseYields: [], lines: [] };
  const seen = new Map<string, number>();
  let header = false;
  const lines = text.split('\n');
  for (let index = 0; index < lines.length; index++) {
    const number = index + 1;
    const raw = lines[index] as string;
    const content = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    if (content === '') continue;
    if (!header) {
      if (content !== HEADER) {
        throw new ImportError(
          file,
          number,
          `expected the header ${HEADER}, got ${JSON.stringify(content.slice(0, 80))}`,
        );
      }
      header = true;
      continue;
    }
    const fields = content.split(',');
    if (fields.length !== 2) {
      throw new ImportError(file, number, `expected 2 fields (${HEADER}), got ${fields.length}`);
    }
    const [walletText, amountText] = fields as [string, string];
    let wallet: string;
    try {
      wallet = toHex(base58Decode(walletText, 32));
    } catch (error) {
      if (!(error instanceof InvalidArgumentError)) throw error;
      throw new ImportError(file, number, `wallet: ${error.message}`);
    }
    if (!AMOUNT.test(amountText) || BigInt(amountText) > U64_MAX) {
      throw new ImportError(
        file,
        number,
        `base_yield must be a whole number of base units from 0 to 2^64-1, got ${JSON.stringify(amountText.slice(0, 40))}`,
      );
    }
    const earlier = seen.get(wallet);
    if (earlier !== undefined)
      throw new ImportError(file, number, `wallet ${walletText} is already on line ${earlier}`);
    seen.set(wallet, number);
    rows.wallets.push(wallet);
    rows.baseYields.push(BigInt(amountText));
    rows.lines.push(number);
  }
  if (!header) throw new ImportError(file, 1, `the file has no header line (${HEADER})`);
  return rows;
}
