// The linker step of the program build (programs/toolchain/sbpf-link.ts): relocation arithmetic and refusals on
// hand-made relocatable objects, a hand-made program that runs on a local ledger, and the structure of the
// committed build.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { Keypair, Transaction, TransactionInstruction } from '@solana/web3.js';
import { afterEach, describe, expect, it } from 'vitest';
import { KNOWN_SYSCALLS, LinkError, linkSbpf, MM_PROGRAM_START } from '../../../../programs/toolchain/sbpf-link.js';
import { LOCAL_PROGRAM_PATH, openLedger } from '../../src/chain/index.js';
import { removeTempDirs, tempDir } from '../chain/helpers.js';

// ---- a minimal ELF64 relocatable BPF object writer (what llc emits, reduced to what the linker reads) ----

interface ObjectSection {
  name: string;
  type?: number; // default PROGBITS
  flags: number;
  bytes: Uint8Array;
}
interface ObjectSymbol {
  name: string;
  type: number; // 0 NOTYPE, 2 FUNC, 3 SECTION
  bind: number; // 0 LOCAL, 1 GLOBAL
  section: number; // index into `sections` + 1, 0 undefined
  value?: number;
}
interface ObjectRelocation {
  section: number; // index into `sections` + 1
  offset: number;
  type: number;
  symbol: number; // index into `symbols` + 1
}

const ALLOC = 2;
const WRITE = 1;
const EXEC = 4;

/** Instruction bytes: opcode, dst/src registers, 16-bit offset, 32-bit immediate. */
function insn(opcode: number, dst: number, src: number, imm = 0, off = 0): number[] {
  const b = Buffer.alloc(8);
  b.writeUInt8(opcode, 0);
  b.writeUInt8((src << 4) | dst, 1);
  b.writeInt16LE(off, 2);
  b.writeInt32LE(imm, 4);
  return [...b];
}

function relocatableObject(sections: ObjectSection[], symbols: ObjectSymbol[], relocations: ObjectRelocation[]) {
  const names = ['', ...sections.map((s) => s.name), '.rel.x', '.symtab', '.strtab', '.shstrtab'];
  const strtab = ['', ...symbols.map((s) => s.name)];
  const table = (list: string[]) => {
    const offsets: number[] = [];
    let size = 0;
    for (const s of list) {
      offsets.push(size);
      size += Buffer.byteLength(s) + 1;
    }
    return { offsets, bytes: Buffer.from(`${list.join('\0')}\0`) };
  };
  const shstr = table(names);
  const str = table(strtab);
  const symtab = Buffer.alloc(24 * (symbols.length + 1));
  symbols.forEach((s, i) => {
    const at = 24 * (i + 1);
    symtab.writeUInt32LE(str.offsets[i + 1] ?? 0, at);
    symtab.writeUInt8((s.bind << 4) | s.type, at + 4);
    symtab.writeUInt16LE(s.section, at + 6);
    symtab.writeBigUInt64LE(BigInt(s.value ?? 0), at + 8);
  });
  // One REL section per relocated section would be usual; the linker reads sh_info, so group them per target.
  const targets = [...new Set(relocations.map((r) => r.section))];
  const rels = targets.map((target) => {
    const list = relocations.filter((r) => r.section === target);
    const bytes = Buffer.alloc(16 * list.length);
    list.forEach((r, i) => {
      bytes.writeBigUInt64LE(BigInt(r.offset), 16 * i);
      bytes.writeBigUInt64LE((BigInt(r.symbol) << 32n) | BigInt(r.type), 16 * i + 8);
    });
    return { target, bytes };
  });
  const headers: { name: number; type: number; flags: number; bytes: Uint8Array; link: number; info: number }[] = [
    ...sections.map((s, i) => ({
      name: shstr.offsets[i + 1] ?? 0,
      type: s.type ?? 1,
      flags: s.flags,
      bytes: s.bytes,
      link: 0,
      info: 0,
    })),
  ];
  const symtabIndex = sections.length + rels.length + 1;
  for (const rel of rels) {
    headers.push({
      name: shstr.offsets[sections.length + 1] ?? 0,
      type: 9,
      flags: 0,
      bytes: rel.bytes,
      link: symtabIndex,
      info: rel.target,
    });
  }
  headers.push({
    name: shstr.offsets[sections.length + 2] ?? 0,
    type: 2,
    flags: 0,
    bytes: symtab,
    link: symtabIndex + 1,
    info: 1,
  });
  headers.push({
    name: shstr.offsets[sections.length + 3] ?? 0,
    type: 3,
    flags: 0,
    bytes: str.bytes,
    link: 0,
    info: 0,
  });
  headers.push({
    name: shstr.offsets[sections.length + 4] ?? 0,
    type: 3,
    flags: 0,
    bytes: shstr.bytes,
    link: 0,
    info: 0,
  });

  const parts: Buffer[] = [Buffer.alloc(64)];
  let offset = 64;
  const placed = headers.map((h) => {
    const pad = (8 - (offset % 8)) % 8;
    parts.push(Buffer.alloc(pad), Buffer.from(h.bytes));
    offset += pad;
    const at = offset;
    offset += h.bytes.length;
    return at;
  });
  const pad = (8 - (offset % 8)) % 8;
  parts.push(Buffer.alloc(pad));
  const shoff = offset + pad;
  const shdrs = Buffer.alloc(64 * (headers.length + 1));
  headers.forEach((h, i) => {
    const at = 64 * (i + 1);
    shdrs.writeUInt32LE(h.name, at);
    shdrs.writeUInt32LE(h.type, at + 4);
    shdrs.writeBigUInt64LE(BigInt(h.flags), at + 8);
    shdrs.writeBigUInt64LE(BigInt(placed[i] ?? 0), at + 24);
    shdrs.writeBigUInt64LE(BigInt(h.bytes.length), at + 32);
    shdrs.writeUInt32LE(h.link, at + 40);
    shdrs.writeUInt32LE(h.info, at + 44);
    shdrs.writeBigUInt64LE(8n, at + 48);
    shdrs.writeBigUInt64LE(h.type === 2 ? 24n : h.type === 9 ? 16n : 0n, at + 56);
  });
  parts.push(shdrs);
  const elf = Buffer.concat(parts);
  elf.set([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1], 0);
  elf.writeUInt16LE(1, 16); // ET_REL
  elf.writeUInt16LE(247, 18); // EM_BPF
  elf.writeUInt32LE(1, 20);
  elf.writeBigUInt64LE(BigInt(shoff), 40);
  elf.writeUInt16LE(64, 52);
  elf.writeUInt16LE(64, 58);
  elf.writeUInt16LE(headers.length + 1, 60);
  elf.writeUInt16LE(headers.length, 62);
  return new Uint8Array(elf);
}

// entrypoint: r1 = &"hello" (lddw, R_BPF_64_64 against .rodata + 4), r2 = 5, sol_log_, call helper, exit.
// helper: r0 = 0, exit. .rodata also holds a pointer to the string (R_BPF_64_ABS64).
const R_64_64 = 1;
const R_ABS64 = 2;
const R_64_32 = 10;
const text = Uint8Array.from([
  ...insn(0x18, 1, 0, 4), // lddw r1, .rodata + 4
  ...insn(0x00, 0, 0, 0),
  ...insn(0xb7, 2, 0, 5), // r2 = 5
  ...insn(0x85, 0, 1, -1), // call sol_log_
  ...insn(0x85, 0, 1, -1), // call helper
  ...insn(0x95, 0, 0), // exit
  ...insn(0xb7, 0, 0, 0), // helper: r0 = 0
  ...insn(0x95, 0, 0), // exit
]);
const rodata = Uint8Array.from([...Buffer.from('xxxxhello\0\0\0\0\0\0\0'), 4, 0, 0, 0, 0, 0, 0, 0]);

function program(options: { syscall?: string; extraSections?: ObjectSection[] } = {}) {
  const sections: ObjectSection[] = [
    { name: '.text', flags: ALLOC | EXEC, bytes: text },
    { name: '.rodata.str1.1', flags: ALLOC, bytes: rodata },
    ...(options.extraSections ?? []),
  ];
  const symbols: ObjectSymbol[] = [
    { name: '', type: 3, bind: 0, section: 2 },
    { name: 'helper', type: 2, bind: 1, section: 1, value: 48 },
    { name: 'entrypoint', type: 2, bind: 1, section: 1, value: 0 },
    { name: options.syscall ?? 'sol_log_', type: 0, bind: 1, section: 0 },
  ];
  return relocatableObject(sections, symbols, [
    { section: 1, offset: 0, type: R_64_64, symbol: 1 },
    { section: 1, offset: 24, type: R_64_32, symbol: 4 },
    { section: 1, offset: 32, type: R_64_32, symbol: 2 },
    { section: 2, offset: 16, type: R_ABS64, symbol: 1 },
  ]);
}

/** The section headers of a linked program, by name. */
function sectionsOf(elf: Uint8Array) {
  const v = new DataView(elf.buffer, elf.byteOffset, elf.byteLength);
  const shoff = Number(v.getBigUint64(40, true));
  const count = v.getUint16(60, true);
  const strAt = Number(v.getBigUint64(shoff + 64 * v.getUint16(62, true) + 24, true));
  const out = new Map<string, { type: number; addr: number; offset: number; size: number }>();
  for (let i = 0; i < count; i++) {
    const at = shoff + 64 * i;
    let end = strAt + v.getUint32(at, true);
    const start = end;
    while (elf[end] !== 0) end++;
    out.set(Buffer.from(elf.subarray(start, end)).toString(), {
      type: v.getUint32(at + 4, true),
      addr: Number(v.getBigUint64(at + 16, true)),
      offset: Number(v.getBigUint64(at + 24, true)),
      size: Number(v.getBigUint64(at + 32, true)),
    });
  }
  return out;
}

/** `.rel.dyn` entries of a linked program with their `.dynsym` names. */
function dynamicRelocations(elf: Uint8Array) {
  const v = new DataView(elf.buffer, elf.byteOffset, elf.byteLength);
  const s = sectionsOf(elf);
  const rel = s.get('.rel.dyn');
  const dynsym = s.get('.dynsym');
  const dynstr = s.get('.dynstr');
  if (!rel || !dynsym || !dynstr) return [];
  const out: { offset: number; type: number; name: string }[] = [];
  for (let at = rel.offset; at < rel.offset + rel.size; at += 16) {
    const info = v.getBigUint64(at + 8, true);
    const sym = dynsym.offset + 24 * Number(info >> 32n);
    let end = dynstr.offset + v.getUint32(sym, true);
    const start = end;
    while (elf[end] !== 0) end++;
    out.push({
      offset: Number(v.getBigUint64(at, true)),
      type: Number(info & 0xffffffffn),
      name: Buffer.from(elf.subarray(start, end)).toString(),
    });
  }
  return out;
}

describe('the SBPFv0 linker', () => {
  afterEach(() => removeTempDirs());

  it('resolves addresses in place, makes program calls pc-relative and syscalls dynamic', () => {
    const { elf, syscalls, entry } = linkSbpf(program());
    const v = new DataView(elf.buffer, elf.byteOffset, elf.byteLength);
    expect([v.getUint16(16, true), v.getUint16(18, true), v.getUint32(48, true)]).toEqual([3, 247, 0]);
    const s = sectionsOf(elf);
    const t = s.get('.text');
    const r = s.get('.rodata');
    if (!t || !r) throw new Error('missing .text or .rodata');
    expect(t.addr).toBe(t.offset);
    expect(r.addr).toBe(r.offset);
    expect(entry).toBe(MM_PROGRAM_START + BigInt(t.offset));
    // lddw: the string's virtual address, split over the two immediates.
    const address = MM_PROGRAM_START + BigInt(r.offset + 4);
    expect(BigInt(v.getUint32(t.offset + 4, true)) | (BigInt(v.getUint32(t.offset + 12, true)) << 32n)).toBe(address);
    // The pointer in .rodata, likewise.
    expect(v.getBigUint64(r.offset + 16, true)).toBe(address);
    // sol_log_: immediate -1, source register 0, and a .rel.dyn entry against its .dynsym symbol.
    expect(v.getInt32(t.offset + 24 + 4, true)).toBe(-1);
    expect(elf[t.offset + 24 + 1]).toBe(0);
    expect(dynamicRelocations(elf)).toEqual([{ offset: t.offset + 24, type: 10, name: 'sol_log_' }]);
    expect(syscalls).toEqual(['sol_log_']);
    // helper: from instruction 4 to instruction 6, an offset of +1.
    expect(v.getInt32(t.offset + 32 + 4, true)).toBe(1);
  });

  it('links a program that runs: the hand-made object logs through sol_log_', async () => {
    const ledger = openLedger({ dataDir: tempDir(), slotMs: 0 });
    try {
      const programId = Keypair.generate().publicKey;
      ledger.addProgram(programId.toBase58(), linkSbpf(program()).elf);
      const payer = Keypair.generate();
      ledger.requestAirdrop(payer.publicKey.toBase58(), 10n ** 9n);
      const tx = new Transaction({ feePayer: payer.publicKey, recentBlockhash: ledger.latestBlockhash().blockhash });
      tx.add(new TransactionInstruction({ programId, keys: [], data: Buffer.alloc(0) }));
      tx.sign(payer);
      const result = ledger.simulateTransaction(tx.serialize());
      expect(result.err).toBeNull();
      expect(result.logs).toContain('Program log: hello');
    } finally {
      await ledger.close();
    }
  });

  it('refuses what SBPFv0 cannot run, naming the cause', () => {
    expect(() => linkSbpf(program({ syscall: 'memcpy' }))).toThrow(/calls memcpy, which is neither defined/);
    const data = { name: '.data', flags: ALLOC | WRITE, bytes: new Uint8Array(8) };
    expect(() => linkSbpf(program({ extraSections: [data] }))).toThrow(/\.data is writable data/);
    const cold = { name: '.text.unlikely.', flags: ALLOC | EXEC, bytes: Uint8Array.from(insn(0x95, 0, 0)) };
    expect(() => linkSbpf(program({ extraSections: [cold] }))).toThrow(/one code section named \.text/);
    expect(() => linkSbpf(new Uint8Array(64))).toThrow(LinkError);
  });
});

describe('the committed program', () => {
  const elf = new Uint8Array(readFileSync(LOCAL_PROGRAM_PATH));

  it('matches its committed sha256', () => {
    const recorded = readFileSync(`${LOCAL_PROGRAM_PATH}.sha256`, 'utf8').split(/\s+/)[0];
    expect(createHash('sha256').update(elf).digest('hex')).toBe(recorded);
  });

  it('is an SBPFv0 shared object whose only dynamic relocations are syscalls on call instructions', () => {
    const v = new DataView(elf.buffer, elf.byteOffset, elf.byteLength);
    expect([v.getUint16(16, true), v.getUint16(18, true), v.getUint32(48, true)]).toEqual([3, 247, 0]);
    const s = sectionsOf(elf);
    const t = s.get('.text');
    if (!t) throw new Error('no .text');
    expect(t.addr).toBe(t.offset);
    const entry = Number(v.getBigUint64(24, true));
    expect(entry >= t.addr && entry < t.addr + t.size && entry % 8 === 0).toBe(true);
    expect([...s.keys()].filter((n) => n.startsWith('.data') || n.startsWith('.bss'))).toEqual([]);
    const relocations = dynamicRelocations(elf);
    expect(relocations.length).toBeGreaterThan(0);
    for (const r of relocations) {
      expect(r.type).toBe(10);
      expect(KNOWN_SYSCALLS.has(r.name)).toBe(true);
      expect(elf[r.offset]).toBe(0x85);
      expect(v.getInt32(r.offset + 4, true)).toBe(-1);
    }
    const names = relocations.map((r) => r.name);
    for (const syscall of ['sol_keccak256', 'sol_sha256', 'sol_curve_validate_point', 'sol_invoke_signed_c']) {
      expect(names).toContain(syscall);
    }
  });
});
