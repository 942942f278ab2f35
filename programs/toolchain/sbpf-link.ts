// The linker step of the program build: one relocatable BPF object (what `llc -march=bpfel -filetype=obj` makes of
// the program's LTO bitcode) in, one SBPFv0 shared object out, the kind the Solana loaders accept (ET_DYN, EM_BPF,
// e_flags 0). It does what lld does for Solana's own toolchain, restricted to what such a program needs:
//
//  - `.text` is copied as is and placed at sh_addr == sh_offset (SBPFv0 maps the file at 0x1_0000_0000 + offset).
//  - every read-only data section (`.rodata*`, `.data.rel.ro*`) is merged into one `.rodata` after it.
//  - addresses are resolved here, in place: an `lddw` of a symbol (R_BPF_64_64) and a pointer stored in data
//    (R_BPF_64_ABS64) get their final virtual address, so the loader has nothing to relocate for them.
//  - a call to a function of the program (R_BPF_64_32 against a defined symbol) becomes a pc-relative call.
//  - a call to an undefined symbol is a syscall: its immediate becomes -1 and `.rel.dyn` gets an R_BPF_64_32 entry
//    against a `.dynsym` symbol of that name; the loader writes the syscall's hash there.
//  - `.dynamic` points the loader at `.dynsym`, `.dynstr` and `.rel.dyn`; the entry point is the `entrypoint` symbol.
//
// Anything else (writable data, a second code section, an unknown relocation or syscall) is refused with a message
// saying what in the program caused it. Output depends on the input bytes only: no time stamps, no paths.
import { readFileSync, writeFileSync } from 'node:fs';

/** Where SBPFv0 maps the program file: virtual address = this + file offset. */
export const MM_PROGRAM_START = 0x1_0000_0000n;

const EM_BPF = 247;
const ET_REL = 1;
const ET_DYN = 3;
const SHT_PROGBITS = 1;
const SHT_SYMTAB = 2;
const SHT_STRTAB = 3;
const SHT_NOBITS = 8;
const SHT_REL = 9;
const SHT_DYNAMIC = 6;
const SHT_DYNSYM = 11;
const SHF_WRITE = 0x1;
const SHF_ALLOC = 0x2;
const SHF_EXECINSTR = 0x4;
const SHN_UNDEF = 0;
const STB_GLOBAL = 1;
const STT_NOTYPE = 0;
const STT_FUNC = 2;
const STT_SECTION = 3;
const PT_LOAD = 1;
const PT_DYNAMIC = 2;
const PF_X = 1;
const PF_W = 2;
const PF_R = 4;
const R_BPF_64_64 = 1;
const R_BPF_64_ABS64 = 2;
const R_BPF_64_32 = 10;
const DT_NULL = 0;
const DT_STRTAB = 5;
const DT_SYMTAB = 6;
const DT_STRSZ = 10;
const DT_SYMENT = 11;
const DT_REL = 17;
const DT_RELSZ = 18;
const DT_RELENT = 19;
const OPCODE_CALL = 0x85;

/**
 * The syscalls a program may call (SBPFv0 resolves them by name). A call to any other undefined symbol is a link
 * error: it is usually a compiler helper (`memcpy`, `__multi3`, `__bpf_trap`) that the program must avoid or define.
 */
export const KNOWN_SYSCALLS: ReadonlySet<string> = new Set([
  'abort',
  'sol_panic_',
  'sol_log_',
  'sol_log_64_',
  'sol_log_compute_units_',
  'sol_log_pubkey',
  'sol_log_data',
  'sol_create_program_address',
  'sol_try_find_program_address',
  'sol_sha256',
  'sol_keccak256',
  'sol_blake3',
  'sol_secp256k1_recover',
  'sol_poseidon',
  'sol_curve_validate_point',
  'sol_curve_group_op',
  'sol_curve_multiscalar_mul',
  'sol_get_clock_sysvar',
  'sol_get_epoch_schedule_sysvar',
  'sol_get_rent_sysvar',
  'sol_get_epoch_rewards_sysvar',
  'sol_get_last_restart_slot',
  'sol_get_sysvar',
  'sol_get_epoch_stake',
  'sol_memcpy_',
  'sol_memmove_',
  'sol_memcmp_',
  'sol_memset_',
  'sol_invoke_signed_c',
  'sol_invoke_signed_rust',
  'sol_set_return_data',
  'sol_get_return_data',
  'sol_get_stack_height',
  'sol_get_processed_sibling_instruction',
  'sol_remaining_compute_units',
]);

/** A link that cannot be done, with what in the program caused it. */
export class LinkError extends Error {
  override readonly name = 'LinkError';
}

interface Section {
  index: number;
  name: string;
  type: number;
  flags: bigint;
  offset: number;
  size: number;
  link: number;
  info: number;
  align: number;
  entsize: number;
  bytes: Uint8Array;
}

interface Symbol {
  name: string;
  type: number;
  bind: number;
  section: number;
  value: number;
  size: number;
}

/** What the link produced, for reports and tests. */
export interface LinkResult {
  /** The shared object. */
  readonly elf: Uint8Array;
  /** Bytes of code and of read-only data. */
  readonly textSize: number;
  readonly rodataSize: number;
  /** The syscalls the program calls, in first-use order. */
  readonly syscalls: readonly string[];
  /** Virtual address of `entrypoint`. */
  readonly entry: bigint;
}

const decoder = new TextDecoder();

function cString(bytes: Uint8Array, offset: number): string {
  let end = offset;
  while (end < bytes.length && bytes[end] !== 0) end++;
  return decoder.decode(bytes.subarray(offset, end));
}

function alignUp(n: number, alignment: number): number {
  const a = Math.max(1, alignment);
  return Math.ceil(n / a) * a;
}

function readObject(object: Uint8Array): { sections: Section[]; symbols: Symbol[] } {
  const view = new DataView(object.buffer, object.byteOffset, object.byteLength);
  const magic = object.subarray(0, 4);
  if (object.length < 64 || magic[0] !== 0x7f || cString(magic, 1) !== 'ELF') {
    throw new LinkError('the input is not an ELF file');
  }
  if (object[4] !== 2 || object[5] !== 1) throw new LinkError('the input is not a 64-bit little-endian ELF file');
  if (view.getUint16(16, true) !== ET_REL || view.getUint16(18, true) !== EM_BPF) {
    throw new LinkError('the input is not a relocatable BPF object (llc -march=bpfel -filetype=obj)');
  }
  const shoff = Number(view.getBigUint64(40, true));
  const shnum = view.getUint16(60, true);
  const shstrndx = view.getUint16(62, true);
  const raw = Array.from({ length: shnum }, (_, index) => {
    const at = shoff + index * 64;
    const type = view.getUint32(at + 4, true);
    const offset = Number(view.getBigUint64(at + 24, true));
    const size = Number(view.getBigUint64(at + 32, true));
    return {
      index,
      nameOffset: view.getUint32(at, true),
      type,
      flags: view.getBigUint64(at + 8, true),
      offset,
      size,
      link: view.getUint32(at + 40, true),
      info: view.getUint32(at + 44, true),
      align: Number(view.getBigUint64(at + 48, true)),
      entsize: Number(view.getBigUint64(at + 56, true)),
      bytes: type === SHT_NOBITS ? new Uint8Array(size) : object.subarray(offset, offset + size),
    };
  });
  const names = raw[shstrndx]?.bytes ?? new Uint8Array();
  const sections: Section[] = raw.map(({ nameOffset, ...s }) => ({ ...s, name: cString(names, nameOffset) }));
  const symtab = sections.find((s) => s.type === SHT_SYMTAB);
  const symbols: Symbol[] = [];
  if (symtab) {
    const strings = sections[symtab.link]?.bytes ?? new Uint8Array();
    const sv = new DataView(symtab.bytes.buffer, symtab.bytes.byteOffset, symtab.bytes.byteLength);
    for (let at = 0; at + 24 <= symtab.size; at += 24) {
      const info = sv.getUint8(at + 4);
      symbols.push({
        name: cString(strings, sv.getUint32(at, true)),
        type: info & 0xf,
        bind: info >> 4,
        section: sv.getUint16(at + 6, true),
        value: Number(sv.getBigUint64(at + 8, true)),
        size: Number(sv.getBigUint64(at + 16, true)),
      });
    }
  }
  return { sections, symbols };
}

/** A growing little-endian byte buffer. */
class Out {
  bytes = new Uint8Array(4096);
  length = 0;

  reserve(n: number): number {
    const at = this.length;
    this.length += n;
    if (this.length > this.bytes.length) {
      const grown = new Uint8Array(Math.max(this.length, this.bytes.length * 2));
      grown.set(this.bytes);
      this.bytes = grown;
    }
    return at;
  }

  align(alignment: number): number {
    this.reserve(alignUp(this.length, alignment) - this.length);
    return this.length;
  }

  put(data: Uint8Array): number {
    const at = this.reserve(data.length);
    this.bytes.set(data, at);
    return at;
  }

  view(): DataView {
    return new DataView(this.bytes.buffer);
  }
}

/** A string table: a leading NUL, then each distinct string once. */
class Strings {
  private readonly offsets = new Map<string, number>([['', 0]]);
  private readonly parts: string[] = [''];
  private size = 1;

  add(s: string): number {
    const known = this.offsets.get(s);
    if (known !== undefined) return known;
    const offset = this.size;
    this.offsets.set(s, offset);
    this.parts.push(s);
    this.size += new TextEncoder().encode(s).length + 1;
    return offset;
  }

  bytes(): Uint8Array {
    return new TextEncoder().encode(`${this.parts.join('\0')}\0`);
  }
}

const isReadOnlyData = (s: Section) =>
  (s.flags & BigInt(SHF_ALLOC)) !== 0n &&
  (s.flags & BigInt(SHF_EXECINSTR)) === 0n &&
  s.type === SHT_PROGBITS &&
  ((s.flags & BigInt(SHF_WRITE)) === 0n || s.name.startsWith('.data.rel.ro'));

/**
 * Links one relocatable BPF object into an SBPFv0 program.
 *
 * @example const { elf } = linkSbpf(readFileSync('program.o'));
 */
export function linkSbpf(object: Uint8Array): LinkResult {
  const { sections, symbols } = readObject(object);

  // What goes where: exactly one code section, every read-only data section, and nothing writable.
  const code = sections.filter((s) => (s.flags & BigInt(SHF_EXECINSTR)) !== 0n && s.size > 0);
  const text = code[0];
  if (!text || code.length !== 1 || text.name !== '.text') {
    throw new LinkError(
      `expected one code section named .text, found ${code.map((s) => s.name).join(', ') || 'none'} ` +
        '(llc needs -profile-guided-section-prefix=false and no -function-sections)',
    );
  }
  for (const s of sections) {
    const alloc = (s.flags & BigInt(SHF_ALLOC)) !== 0n;
    if (alloc && s.size > 0 && s !== text && !isReadOnlyData(s)) {
      throw new LinkError(`section ${s.name} is writable data; SBPFv0 programs cannot have writable statics`);
    }
  }
  const rodataParts = sections.filter((s) => isReadOnlyData(s) && s.size > 0);

  // Layout. Every allocated section sits at virtual address == file offset.
  const out = new Out();
  const PHDRS = 4;
  out.reserve(64 + PHDRS * 56);
  const textOffset = out.align(8);
  out.put(text.bytes);
  const placed = new Map<number, number>([[text.index, textOffset]]);
  const rodataOffset = out.align(8);
  for (const part of rodataParts) {
    out.align(part.align);
    placed.set(part.index, out.put(part.bytes));
  }
  const rodataSize = out.length - rodataOffset;

  const address = (symbol: Symbol, what: string): number => {
    const base = placed.get(symbol.section);
    if (symbol.section === SHN_UNDEF || base === undefined) {
      throw new LinkError(`${what} refers to ${symbol.name || 'a symbol'} in a section that is not linked`);
    }
    return base + (symbol.type === STT_SECTION ? 0 : symbol.value);
  };

  // Relocations, resolved in place; syscall calls are collected for .rel.dyn.
  const syscalls: string[] = [];
  const syscallCalls: { offset: number; name: string }[] = [];
  const view = out.view();
  for (const rel of sections.filter((s) => s.type === SHT_REL)) {
    const target = sections[rel.info];
    const base = target ? placed.get(target.index) : undefined;
    if (!target || base === undefined) continue; // relocations of sections not linked (debug info)
    const rv = new DataView(rel.bytes.buffer, rel.bytes.byteOffset, rel.bytes.byteLength);
    for (let at = 0; at + 16 <= rel.size; at += 16) {
      const offset = base + Number(rv.getBigUint64(at, true));
      const info = rv.getBigUint64(at + 8, true);
      const type = Number(info & 0xffffffffn);
      const symbol = symbols[Number(info >> 32n)];
      if (!symbol) throw new LinkError(`relocation at ${target.name}+${offset - base} names no symbol`);
      const where = `${target.name}+0x${(offset - base).toString(16)}`;
      if (type === R_BPF_64_64) {
        // lddw: the addend is the first immediate; the 64-bit address is split over both immediates.
        const value = MM_PROGRAM_START + BigInt(address(symbol, where) + view.getUint32(offset + 4, true));
        view.setUint32(offset + 4, Number(value & 0xffffffffn), true);
        view.setUint32(offset + 12, Number(value >> 32n), true);
      } else if (type === R_BPF_64_ABS64) {
        const value = MM_PROGRAM_START + BigInt(address(symbol, where)) + view.getBigUint64(offset, true);
        view.setBigUint64(offset, value, true);
      } else if (type === R_BPF_64_32) {
        if (target !== text || out.bytes[offset] !== OPCODE_CALL) {
          throw new LinkError(`R_BPF_64_32 at ${where} is not on a call instruction`);
        }
        if (symbol.section === SHN_UNDEF) {
          if (!KNOWN_SYSCALLS.has(symbol.name)) {
            throw new LinkError(
              `the program calls ${symbol.name}, which is neither defined in it nor a Solana syscall ` +
                '(define it, or avoid what makes the compiler call it)',
            );
          }
          if (!syscalls.includes(symbol.name)) syscalls.push(symbol.name);
          out.bytes[offset + 1] = (out.bytes[offset + 1] ?? 0) & 0x0f; // src_reg 0: not a pc-relative call
          view.setInt32(offset + 4, -1, true);
          syscallCalls.push({ offset, name: symbol.name });
        } else {
          if (symbol.type !== STT_FUNC || symbol.section !== text.index) {
            throw new LinkError(`the call at ${where} targets ${symbol.name}, which is not a function in .text`);
          }
          // SBPFv0 treats any call with an immediate other than -1 as pc-relative, in instructions.
          view.setInt32(offset + 4, (textOffset + symbol.value - offset) / 8 - 1, true);
        }
      } else {
        throw new LinkError(`unsupported relocation type ${type} at ${where}`);
      }
    }
  }

  const entrySymbol = symbols.find((s) => s.name === 'entrypoint' && s.bind === STB_GLOBAL);
  if (!entrySymbol || entrySymbol.type !== STT_FUNC || entrySymbol.section !== text.index) {
    throw new LinkError('the program defines no global function named entrypoint');
  }
  const entry = textOffset + entrySymbol.value;

  // The dynamic part: .dynamic, .dynsym (entrypoint, then one symbol per syscall), .dynstr, .rel.dyn.
  const dynstr = new Strings();
  const symbol = (name: number, info: number, shndx: number, value: number, size: number) => ({
    name,
    info,
    shndx,
    value,
    size,
  });
  const dynsymEntries = [
    symbol(0, 0, 0, 0, 0),
    symbol(dynstr.add('entrypoint'), (STB_GLOBAL << 4) | STT_FUNC, 1, entry, entrySymbol.size), // .text is section 1
    ...syscalls.map((name) => symbol(dynstr.add(name), (STB_GLOBAL << 4) | STT_NOTYPE, SHN_UNDEF, 0, 0)),
  ];
  const dynamicCount = syscalls.length > 0 ? 8 : 5;
  const dynamicOffset = out.align(8);
  out.reserve(dynamicCount * 16);
  const dynsymOffset = out.align(8);
  for (const s of dynsymEntries) {
    const at = out.reserve(24);
    const v = out.view();
    v.setUint32(at, s.name, true);
    v.setUint8(at + 4, s.info);
    v.setUint16(at + 6, s.shndx, true);
    v.setBigUint64(at + 8, BigInt(s.value), true);
    v.setBigUint64(at + 16, BigInt(s.size), true);
  }
  const dynstrBytes = dynstr.bytes();
  const dynstrOffset = out.put(dynstrBytes);
  const relDynOffset = out.align(8);
  for (const call of syscallCalls) {
    const at = out.reserve(16);
    const v = out.view();
    v.setBigUint64(at, BigInt(call.offset), true);
    v.setBigUint64(at + 8, (BigInt(2 + syscalls.indexOf(call.name)) << 32n) | BigInt(R_BPF_64_32), true);
  }
  const relDynSize = out.length - relDynOffset;
  {
    const v = out.view();
    const tags: [number, number][] = [
      [DT_SYMTAB, dynsymOffset],
      [DT_STRTAB, dynstrOffset],
      [DT_STRSZ, dynstrBytes.length],
      [DT_SYMENT, 24],
      ...(syscalls.length > 0
        ? ([
            [DT_REL, relDynOffset],
            [DT_RELSZ, relDynSize],
            [DT_RELENT, 16],
          ] as [number, number][])
        : []),
      [DT_NULL, 0],
    ];
    tags.forEach(([tag, value], i) => {
      v.setBigUint64(dynamicOffset + i * 16, BigInt(tag), true);
      v.setBigUint64(dynamicOffset + i * 16 + 8, BigInt(value), true);
    });
  }

  // Section names and headers.
  const shstr = new Strings();
  const header = (name: string, type: number, flags: number, offset: number, size: number, more = {}) => ({
    name,
    type,
    flags,
    offset,
    size,
    ...{ link: 0, info: 0, align: 8, entsize: 0 },
    ...more,
  });
  const headers = [
    header('', 0, 0, 0, 0, { align: 0 }),
    header('.text', SHT_PROGBITS, SHF_ALLOC | SHF_EXECINSTR, textOffset, text.size),
  ];
  if (rodataSize > 0) headers.push(header('.rodata', SHT_PROGBITS, SHF_ALLOC, rodataOffset, rodataSize));
  const dynsymIndex = headers.length + 1;
  const dynstrIndex = headers.length + 2;
  headers.push(
    header('.dynamic', SHT_DYNAMIC, SHF_ALLOC | SHF_WRITE, dynamicOffset, dynamicCount * 16, {
      link: dynstrIndex,
      entsize: 16,
    }),
    header('.dynsym', SHT_DYNSYM, SHF_ALLOC, dynsymOffset, dynsymEntries.length * 24, {
      link: dynstrIndex,
      info: 1,
      entsize: 24,
    }),
    header('.dynstr', SHT_STRTAB, SHF_ALLOC, dynstrOffset, dynstrBytes.length, { align: 1 }),
  );
  if (syscalls.length > 0) {
    headers.push(header('.rel.dyn', SHT_REL, SHF_ALLOC, relDynOffset, relDynSize, { link: dynsymIndex, entsize: 16 }));
  }
  const shstrtabIndex = headers.length;
  const shstrtab = header('.shstrtab', SHT_STRTAB, 0, 0, 0, { align: 1 });
  headers.push(shstrtab);
  for (const h of headers) shstr.add(h.name);
  const shstrBytes = shstr.bytes();
  shstrtab.offset = out.put(shstrBytes);
  shstrtab.size = shstrBytes.length;
  const shoff = out.align(8);
  for (const h of headers) {
    const at = out.reserve(64);
    const v = out.view();
    v.setUint32(at, shstr.add(h.name), true);
    v.setUint32(at + 4, h.type, true);
    v.setBigUint64(at + 8, BigInt(h.flags), true);
    v.setBigUint64(at + 16, BigInt(h.flags & SHF_ALLOC ? h.offset : 0), true);
    v.setBigUint64(at + 24, BigInt(h.offset), true);
    v.setBigUint64(at + 32, BigInt(h.size), true);
    v.setUint32(at + 40, h.link, true);
    v.setUint32(at + 44, h.info, true);
    v.setBigUint64(at + 48, BigInt(h.align), true);
    v.setBigUint64(at + 56, BigInt(h.entsize), true);
  }

  // Program headers: code, read-only data (with the dynamic tables), and the dynamic section.
  const v = out.view();
  const dynamicEnd = relDynOffset + relDynSize;
  const phdrs = [
    { type: PT_LOAD, flags: PF_R | PF_X, offset: textOffset, size: text.size },
    { type: PT_LOAD, flags: PF_R, offset: rodataOffset, size: rodataSize },
    { type: PT_LOAD, flags: PF_R, offset: dynamicOffset, size: dynamicEnd - dynamicOffset },
    { type: PT_DYNAMIC, flags: PF_R | PF_W, offset: dynamicOffset, size: dynamicCount * 16 },
  ];
  phdrs.forEach((p, i) => {
    const at = 64 + i * 56;
    v.setUint32(at, p.type, true);
    v.setUint32(at + 4, p.flags, true);
    v.setBigUint64(at + 8, BigInt(p.offset), true);
    v.setBigUint64(at + 16, BigInt(p.offset), true);
    v.setBigUint64(at + 24, BigInt(p.offset), true);
    v.setBigUint64(at + 32, BigInt(p.size), true);
    v.setBigUint64(at + 40, BigInt(p.size), true);
    v.setBigUint64(at + 48, 8n, true);
  });

  // The file header.
  out.bytes.set([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 0], 0);
  v.setUint16(16, ET_DYN, true);
  v.setUint16(18, EM_BPF, true);
  v.setUint32(20, 1, true);
  v.setBigUint64(24, BigInt(entry), true);
  v.setBigUint64(32, 64n, true);
  v.setBigUint64(40, BigInt(shoff), true);
  v.setUint32(48, 0, true); // e_flags 0: SBPFv0
  v.setUint16(52, 64, true);
  v.setUint16(54, 56, true);
  v.setUint16(56, PHDRS, true);
  v.setUint16(58, 64, true);
  v.setUint16(60, headers.length, true);
  v.setUint16(62, shstrtabIndex, true);

  return {
    elf: out.bytes.slice(0, out.length),
    textSize: text.size,
    rodataSize,
    syscalls,
    entry: MM_PROGRAM_START + BigInt(entry),
  };
}

// CLI: node --import tsx programs/toolchain/sbpf-link.ts <input.o> <output.so>
if (process.argv[1] && import.meta.url === new URL(`file://${process.argv[1]}`).href) {
  const [input, output] = process.argv.slice(2);
  if (!input || !output) {
    console.error('usage: sbpf-link.ts <input.o> <output.so>');
    process.exit(2);
  }
  try {
    const result = linkSbpf(readFileSync(input));
    writeFileSync(output, result.elf);
    console.log(
      `linked ${output}: ${result.elf.length} bytes (text ${result.textSize}, rodata ${result.rodataSize}), ` +
        `syscalls: ${result.syscalls.join(' ')}`,
    );
  } catch (error) {
    if (!(error instanceof LinkError)) throw error;
    console.error(`link error: ${error.message}`);
    process.exit(1);
  }
}
