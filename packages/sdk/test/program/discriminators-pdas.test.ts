import { toHex } from '@attention-oracle/core';
import {
  getAssociatedTokenAddressSync,
  ASSOCIATED_TOKEN_PROGRAM_ID as SPL_ATA_PROGRAM_ID,
  TOKEN_2022_PROGRAM_ID as SPL_TOKEN_2022_PROGRAM_ID,
  TOKEN_PROGRAM_ID as SPL_TOKEN_PROGRAM_ID,
} from '@solana/spl-token';
import { ComputeBudgetProgram, Keypair, PublicKey, SystemProgram } from '@solana/web3.js';
import { describe, expect, it } from 'vitest';
import {
  ACCOUNT_DISCRIMINATORS,
  ASSOCIATED_TOKEN_PROGRAM_ID,
  ATTENTION_ORACLE_MINT,
  ATTENTION_ORACLE_PROGRAM_ID,
  anchorDiscriminator,
  COMPUTE_BUDGET_PROGRAM_ID,
  EVENT_DISCRIMINATORS,
  findAssociatedTokenAddress,
  findClaimStateGlobalPda,
  findDefaultTreasuryAddress,
  findGlobalRootConfigPda,
  findProtocolStatePda,
  INSTRUCTION_DISCRIMINATORS,
  LEGACY_TREASURY_ADDRESS,
  resolveProgramConfig,
  SYSTEM_PROGRAM_ID,
  TOKEN_2022_PROGRAM_ID,
} from '../../src/program/index.js';
import { key, vectors } from './fixtures.js';

const v = vectors.program;

describe('discriminators', () => {
  it('reads the committed vector file', () => {
    expect(vectors.format).toBe('attention-oracle-vectors/v1');
  });

  it('every instruction discriminator matches the vectors', () => {
    expect(Object.keys(INSTRUCTION_DISCRIMINATORS).sort()).toEqual(Object.keys(v.discriminators).sort());
    for (const [name, hex] of Object.entries(v.discriminators)) {
      expect(toHex(INSTRUCTION_DISCRIMINATORS[name as keyof typeof INSTRUCTION_DISCRIMINATORS]), name).toBe(hex);
      expect(toHex(anchorDiscriminator('global', name)), name).toBe(hex);
    }
  });

  it('every account and event discriminator matches the vectors', () => {
    expect(Object.keys(v.account_discriminators).filter((k) => k !== 'rule')).toHaveLength(3);
    for (const [name, hex] of Object.entries(v.account_discriminators)) {
      if (name === 'rule') continue;
      expect(toHex(ACCOUNT_DISCRIMINATORS[name as keyof typeof ACCOUNT_DISCRIMINATORS]), name).toBe(hex);
    }
    expect(Object.keys(v.event_discriminators).filter((k) => k !== 'rule')).toHaveLength(2);
    for (const [name, hex] of Object.entries(v.event_discriminators)) {
      if (name === 'rule') continue;
      expect(toHex(EVENT_DISCRIMINATORS[name as keyof typeof EVENT_DISCRIMINATORS]), name).toBe(hex);
    }
  });
});

describe('addresses and PDAs', () => {
  it('the mainnet defaults are the vector program id and mint, and the standard programs', () => {
    expect(ATTENTION_ORACLE_PROGRAM_ID.toBase58()).toBe(v.program_id);
    expect(ATTENTION_ORACLE_MINT.toBase58()).toBe(v.mint);
    expect(TOKEN_2022_PROGRAM_ID.equals(SPL_TOKEN_2022_PROGRAM_ID)).toBe(true);
    expect(ASSOCIATED_TOKEN_PROGRAM_ID.equals(SPL_ATA_PROGRAM_ID)).toBe(true);
    expect(SYSTEM_PROGRAM_ID.equals(SystemProgram.programId)).toBe(true);
    expect(COMPUTE_BUDGET_PROGRAM_ID.equals(ComputeBudgetProgram.programId)).toBe(true);
  });

  it('protocol_state: address and bump 254', () => {
    const pda = findProtocolStatePda({ programId: new PublicKey(v.program_id) });
    expect(pda.address.toBase58()).toBe(v.pda_protocol_state.address);
    expect(pda.bump).toBe(v.pda_protocol_state.bump);
    expect(v.pda_protocol_state.bump).toBe(254);
  });

  it('global_root for the vector mint: address and bump 255', () => {
    const pda = findGlobalRootConfigPda({ programId: new PublicKey(v.program_id), mint: new PublicKey(v.mint) });
    expect(pda.address.toBase58()).toBe(v.pda_global_root.address);
    expect(pda.bump).toBe(v.pda_global_root.bump);
    expect(v.pda_global_root.bump).toBe(255);
  });

  it('claim_global PDA uses the seeds ["claim_global", mint, wallet] in that order', () => {
    const wallet = key(9);
    const { address, bump } = findClaimStateGlobalPda(wallet);
    const seeds = [
      Buffer.from('claim_global'),
      ATTENTION_ORACLE_MINT.toBuffer(),
      wallet.toBuffer(),
      Buffer.from([bump]),
    ];
    expect(PublicKey.createProgramAddressSync(seeds, ATTENTION_ORACLE_PROGRAM_ID).equals(address)).toBe(true);
    expect(findClaimStateGlobalPda(wallet, { mint: key(7) }).address.equals(address)).toBe(false);
  });

  it('the default treasury is the Token-2022 ATA of ProtocolState (vector EJGUaf...), as spl-token derives it', () => {
    const treasury = findDefaultTreasuryAddress();
    expect(treasury.toBase58()).toBe(v.treasury_ata.address);
    const owner = new PublicKey(v.pda_protocol_state.address);
    const spl = getAssociatedTokenAddressSync(new PublicKey(v.mint), owner, true, SPL_TOKEN_2022_PROGRAM_ID);
    expect(treasury.equals(spl)).toBe(true);
  });

  it('the legacy treasury named by older documents is the ATA of ["protocol", mint]', () => {
    const [legacyPda] = PublicKey.findProgramAddressSync(
      [Buffer.from('protocol'), ATTENTION_ORACLE_MINT.toBuffer()],
      ATTENTION_ORACLE_PROGRAM_ID,
    );
    const ata = findAssociatedTokenAddress({ owner: legacyPda, mint: ATTENTION_ORACLE_MINT });
    expect(ata.equals(LEGACY_TREASURY_ADDRESS)).toBe(true);
  });

  it('ATA derivation agrees with spl-token for wallets, PDAs and both token programs', () => {
    for (let i = 0; i < 25; i++) {
      const owner = i === 0 ? findProtocolStatePda().address : Keypair.generate().publicKey;
      const mint = Keypair.generate().publicKey;
      for (const tokenProgram of [SPL_TOKEN_2022_PROGRAM_ID, SPL_TOKEN_PROGRAM_ID]) {
        const expected = getAssociatedTokenAddressSync(mint, owner, true, tokenProgram);
        expect(findAssociatedTokenAddress({ owner, mint, tokenProgram }).equals(expected)).toBe(true);
      }
      const defaultProgram = getAssociatedTokenAddressSync(mint, owner, true, SPL_TOKEN_2022_PROGRAM_ID);
      expect(findAssociatedTokenAddress({ owner, mint }).equals(defaultProgram)).toBe(true);
    }
  });

  it('resolveProgramConfig fills mainnet defaults and honours every override', () => {
    const defaults = resolveProgramConfig();
    expect(defaults.protocolState.toBase58()).toBe(v.pda_protocol_state.address);
    expect(defaults.globalRootConfig.toBase58()).toBe(v.pda_global_root.address);
    expect(defaults.treasury.toBase58()).toBe(v.treasury_ata.address);

    const programId = key(1);
    const mint = key(2);
    const custom = resolveProgramConfig({ programId, mint });
    const [protocolState] = PublicKey.findProgramAddressSync([Buffer.from('protocol_state')], programId);
    expect(custom.protocolState.equals(protocolState)).toBe(true);
    expect(
      custom.treasury.equals(getAssociatedTokenAddressSync(mint, protocolState, true, SPL_TOKEN_2022_PROGRAM_ID)),
    ).toBe(true);
    expect(resolveProgramConfig({ treasury: LEGACY_TREASURY_ADDRESS }).treasury.equals(LEGACY_TREASURY_ADDRESS)).toBe(
      true,
    );
  });
});
