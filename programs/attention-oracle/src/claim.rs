//! The four claims: `claim_global`, `claim_global_sponsored` (V4 leaves) and `claim_global_v2`,
//! `claim_global_sponsored_v2` (V5 leaves).

use crate::cpi::{self, NewAccount, NewTokenAccount, Transfer};
use crate::error::{self, Result, fail, fail_account};
use crate::init::PROTOCOL_STATE;
use crate::input::{Account, Context};
use crate::publish::GLOBAL_ROOT_CONFIG;
use crate::state::{
    self, ACCOUNT_VERSION, ASSOCIATED_TOKEN_PROGRAM_ID, Expected, SYSTEM_PROGRAM_ID, TOKEN_2022_PROGRAM_ID,
    claim_state as cs, copy32, eq32, global_root_config as grc, is_uninitialized, protocol_state as ps, read_u64,
    write_u64,
};
use crate::sys::{self, Bytes};
use crate::{require_accounts, require_data, require_program, require_signer, require_writable};

/// The leaf format a claim proves.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Leaf {
    /// `keccak("TWZRD:GLOBAL_V4" || mint || root_seq u64le || wallet || cumulative_total u64le)`
    V4,
    /// `keccak("TWZRD:GLOBAL_V5" || mint || root_seq u64le || wallet || base_yield u64le || attention_bonus u64le)`
    V5,
}

pub const MAX_PROOF_LENGTH: u32 = 32;

const CLAIM_STATE: Expected = Expected {
    name: b"claim_state",
    discriminator: &cs::DISCRIMINATOR,
    size: cs::SIZE,
    missing: error::ACCOUNT_NOT_INITIALIZED,
};

/// `sha256("event:GlobalRewardsClaimed")[0..8]`
const EVENT_DISCRIMINATOR: [u8; 8] = [0x95, 0x5e, 0x89, 0xd5, 0x18, 0x9b, 0x60, 0x3d];

/// The instruction's accounts, by role.
struct Accounts {
    payer: Account,
    claimer: Account,
    protocol_state: Account,
    global_root_config: Account,
    claim_state: Account,
    mint: Account,
    treasury: Account,
    claimer_ata: Account,
    token_program: Account,
    associated_token_program: Account,
    system_program: Account,
}

/// The arguments: root_seq, the leaf's amounts (in the instruction data, in leaf order) and the proof.
struct Args {
    leaf: Leaf,
    root_seq: u64,
    cumulative_total: u64,
    /// Offset of the amounts in the instruction data: 8 bytes (V4) or 16 (V5).
    amounts: usize,
    amounts_len: usize,
    proof: usize,
    proof_len: u32,
}

/// A claim: verifies the leaf `(mint, root_seq, claimer, amounts)` against root `root_seq`, creates the claimer's
/// claim state and token account when missing, and pays `cumulative_total - claimed_total` from the treasury
/// (nothing when the claimer already has it all).
///
/// Accounts: claimer (signer, writable) | payer (signer, writable) + claimer, then protocol_state,
/// global_root_config, claim_state (writable), mint, treasury_ata (writable), claimer_ata (writable), token_program,
/// associated_token_program, system_program.
pub fn claim(ctx: &Context, leaf: Leaf, sponsored: bool) -> Result {
    let first = if sponsored { 2 } else { 1 };
    require_accounts(ctx, first + 9)?;
    let payer = ctx.account(0);
    let a = Accounts {
        payer,
        claimer: if sponsored { ctx.account(1) } else { payer },
        protocol_state: ctx.account(first),
        global_root_config: ctx.account(first + 1),
        claim_state: ctx.account(first + 2),
        mint: ctx.account(first + 3),
        treasury: ctx.account(first + 4),
        claimer_ata: ctx.account(first + 5),
        token_program: ctx.account(first + 6),
        associated_token_program: ctx.account(first + 7),
        system_program: ctx.account(first + 8),
    };
    let args = parse_args(ctx, leaf)?;
    let payer_name: &'static [u8] = if sponsored { b"payer" } else { b"claimer" };
    require_signer(&a.payer, payer_name)?;
    require_writable(&a.payer, payer_name)?;

    // The program-wide accounts, and the accounts that must match them.
    let state = state::load(&a.protocol_state, ctx.program_id, &PROTOCOL_STATE)?;
    let roots = state::load(&a.global_root_config, ctx.program_id, &GLOBAL_ROOT_CONFIG)?;
    let mint = a.mint.key();
    if !eq32(mint, unsafe { state.add(ps::MINT) })
        || !eq32(mint, unsafe { roots.add(grc::MINT) })
        || a.mint.data_len() < state::MINT_LEN
    {
        return Err(fail_account(b"mint", error::INVALID_MINT));
    }
    if !eq32(a.token_program.key(), TOKEN_2022_PROGRAM_ID.as_ptr()) {
        return Err(fail_account(b"token_program", error::INVALID_TOKEN_PROGRAM));
    }
    require_program(&a.associated_token_program, &ASSOCIATED_TOKEN_PROGRAM_ID, b"associated_token_program")?;
    require_program(&a.system_program, &SYSTEM_PROGRAM_ID, b"system_program")?;
    if !eq32(a.treasury.key(), unsafe { state.add(ps::TREASURY) }) {
        return Err(fail_account(b"treasury_ata", error::CONSTRAINT_ADDRESS));
    }
    require_writable(&a.claim_state, b"claim_state")?;
    require_writable(&a.treasury, b"treasury_ata")?;
    require_writable(&a.claimer_ata, b"claimer_ata")?;
    if unsafe { *state.add(ps::PAUSED) } != 0 {
        return Err(fail(error::PROTOCOL_PAUSED));
    }

    // The proof, against root `root_seq`, which must still be one of the four kept.
    let entry = unsafe { roots.add(grc::ROOTS + (args.root_seq % grc::ROOT_HISTORY) as usize * grc::ENTRY_SIZE) };
    if args.root_seq == 0 || read_u64(entry, 0) != args.root_seq {
        return Err(fail(error::ROOT_TOO_OLD_OR_MISSING));
    }
    if !verify_proof(ctx, &args, mint, a.claimer.key(), unsafe { entry.add(grc::ENTRY_ROOT) }) {
        return Err(fail(error::INVALID_PROOF));
    }

    // The claimer's claim state and token account, created on first use (paid by the payer).
    let claim_state = open_claim_state(ctx, &a)?;
    open_claimer_token_account(&a)?;

    let claimed = read_u64(claim_state, cs::CLAIMED_TOTAL);
    if args.cumulative_total <= claimed {
        return Ok(()); // already paid up to this total: an idempotent no-op
    }
    let amount = args.cumulative_total - claimed;
    let bump = [unsafe { *state.add(ps::BUMP) }];
    cpi::transfer_checked(&Transfer {
        source: a.treasury,
        mint: a.mint,
        destination: a.claimer_ata,
        authority: a.protocol_state,
        amount,
        decimals: unsafe { *a.mint.data().add(state::MINT_DECIMALS) },
        seeds: &[Bytes::of(ps::SEED), Bytes::of(&bump)],
    })?;
    write_u64(claim_state, cs::CLAIMED_TOTAL, args.cumulative_total);
    write_u64(claim_state, cs::LAST_CLAIM_SEQ, args.root_seq);
    emit_claimed(a.claimer.key(), amount, args.cumulative_total, args.root_seq);
    Ok(())
}

/// Reads `root_seq u64`, the amounts (V4: cumulative_total u64; V5: base_yield u64, attention_bonus u64) and the
/// proof (`u32le count` + 32 bytes each) after the discriminator.
fn parse_args(ctx: &Context, leaf: Leaf) -> Result<Args> {
    let amounts_len = if leaf == Leaf::V4 { 8 } else { 16 };
    let proof = 16 + amounts_len + 4;
    require_data(ctx, proof)?;
    let cumulative_total = if leaf == Leaf::V4 {
        ctx.read_u64(16)
    } else {
        match ctx.read_u64(16).checked_add(ctx.read_u64(24)) {
            Some(total) => total,
            None => return Err(fail(error::MATH_OVERFLOW)),
        }
    };
    let proof_len = ctx.read_u32(proof - 4);
    // The declared length is checked before the siblings are read: a proof of 33 siblings cannot fit a transaction
    // anyway (1,232 bytes), so a longer proof can only announce itself.
    if proof_len > MAX_PROOF_LENGTH {
        return Err(fail(error::INVALID_PROOF_LENGTH));
    }
    if ((ctx.data_len - proof) as u64) < proof_len as u64 * 32 {
        return Err(fail(error::INSTRUCTION_DID_NOT_DESERIALIZE));
    }
    Ok(Args { leaf, root_seq: ctx.read_u64(8), cumulative_total, amounts: 16, amounts_len, proof, proof_len })
}

/// Hashes the leaf, walks the proof (each node `keccak(min(a, b) || max(a, b))`) and compares with `root`.
#[inline(never)]
fn verify_proof(ctx: &Context, args: &Args, mint: *const u8, wallet: *const u8, root: *const u8) -> bool {
    let domain: &[u8] = if args.leaf == Leaf::V4 { b"TWZRD:GLOBAL_V4" } else { b"TWZRD:GLOBAL_V5" };
    let mut node = [0u8; 32];
    // The instruction data holds root_seq and the amounts little-endian, exactly as the leaf does.
    sys::keccak(
        &[
            Bytes::of(domain),
            Bytes::new(mint, 32),
            Bytes::new(ctx.at(8), 8),
            Bytes::new(wallet, 32),
            Bytes::new(ctx.at(args.amounts), args.amounts_len),
        ],
        &mut node,
    );
    let mut next = [0u8; 32];
    let mut i = 0;
    while i < args.proof_len as usize {
        let sibling = ctx.at(args.proof + i * 32);
        let (first, second) = if le32(node.as_ptr(), sibling) { (node.as_ptr(), sibling) } else { (sibling, node.as_ptr()) };
        sys::keccak(&[Bytes::new(first, 32), Bytes::new(second, 32)], &mut next);
        node = next;
        i += 1;
    }
    eq32(node.as_ptr(), root)
}

/// Whether `a <= b` as 32-byte big-endian numbers (bytewise order).
#[inline(always)]
fn le32(a: *const u8, b: *const u8) -> bool {
    let mut k = 0;
    while k < 4 {
        let x = u64::from_be(read_u64(a, k * 8));
        let y = u64::from_be(read_u64(b, k * 8));
        if x != y {
            return x < y;
        }
        k += 1;
    }
    true
}

/// The claimer's ClaimStateGlobal: created (rent paid by the payer) on the first claim, else checked to belong to
/// this mint and wallet. Returns its data.
#[inline(never)]
fn open_claim_state(ctx: &Context, a: &Accounts) -> Result<*mut u8> {
    let mint = a.mint.key();
    let wallet = a.claimer.key();
    if is_uninitialized(&a.claim_state) {
        let seeds = [Bytes::of(cs::SEED), Bytes::new(mint, 32), Bytes::new(wallet, 32)];
        let found = cpi::find_pda(&seeds, ctx.program_id);
        let Some((_, bump)) = found.filter(|(address, _)| eq32(a.claim_state.key(), address.as_ptr())) else {
            return Err(fail_account(b"claim_state", error::CONSTRAINT_SEEDS));
        };
        let bump_seed = [bump];
        cpi::create_pda(&NewAccount {
            payer: a.payer,
            account: a.claim_state,
            space: cs::SIZE,
            owner: ctx.program_id,
            seeds: &[seeds[0], seeds[1], seeds[2], Bytes::of(&bump_seed)],
        })?;
        let data = a.claim_state.data();
        unsafe {
            core::ptr::copy_nonoverlapping(cs::DISCRIMINATOR.as_ptr(), data, 8);
            *data.add(cs::VERSION) = ACCOUNT_VERSION;
            *data.add(cs::BUMP) = bump;
            copy32(data.add(cs::MINT), mint);
            copy32(data.add(cs::WALLET), wallet);
        }
        return Ok(data); // claimed_total and last_claim_seq start at 0
    }
    let data = state::load(&a.claim_state, ctx.program_id, &CLAIM_STATE)?;
    if !eq32(unsafe { data.add(cs::MINT) }, mint) || !eq32(unsafe { data.add(cs::WALLET) }, wallet) {
        return Err(fail_account(b"claim_state", error::INVALID_CLAIM_STATE));
    }
    Ok(data)
}

/// The claimer's Token-2022 associated token account for the mint: created when missing (the ATA program checks the
/// address), else checked to be a token account of this mint owned by the claimer at the associated address.
#[inline(never)]
fn open_claimer_token_account(a: &Accounts) -> Result {
    let ata = &a.claimer_ata;
    if eq32(ata.owner(), SYSTEM_PROGRAM_ID.as_ptr()) {
        return cpi::create_associated_token_account(&NewTokenAccount {
            funder: a.payer,
            token_account: a.claimer_ata,
            wallet: a.claimer,
            mint: a.mint,
            system_program: a.system_program,
            token_program: a.token_program,
        });
    }
    if !eq32(ata.owner(), TOKEN_2022_PROGRAM_ID.as_ptr()) || ata.data_len() < state::TOKEN_ACCOUNT_LEN {
        return Err(fail_account(b"claimer_ata", error::ACCOUNT_OWNED_BY_WRONG_PROGRAM));
    }
    let data = ata.data();
    if !eq32(unsafe { data.add(state::TOKEN_ACCOUNT_MINT) }, a.mint.key()) {
        return Err(fail_account(b"claimer_ata", error::CONSTRAINT_TOKEN_MINT));
    }
    if !eq32(unsafe { data.add(state::TOKEN_ACCOUNT_OWNER) }, a.claimer.key()) {
        return Err(fail_account(b"claimer_ata", error::CONSTRAINT_TOKEN_OWNER));
    }
    let seeds = [Bytes::new(a.claimer.key(), 32), Bytes::of(&TOKEN_2022_PROGRAM_ID), Bytes::new(a.mint.key(), 32)];
    let found = cpi::find_pda(&seeds, ASSOCIATED_TOKEN_PROGRAM_ID.as_ptr());
    if !found.is_some_and(|(address, _)| eq32(ata.key(), address.as_ptr())) {
        return Err(fail_account(b"claimer_ata", error::CONSTRAINT_ASSOCIATED));
    }
    Ok(())
}

/// Emits GlobalRewardsClaimed { claimer, amount (the gross delta), cumulative_total, root_seq }.
#[inline(never)]
fn emit_claimed(claimer: *const u8, amount: u64, cumulative_total: u64, root_seq: u64) {
    let mut event = [0u8; 64];
    let e = event.as_mut_ptr();
    unsafe {
        core::ptr::copy_nonoverlapping(EVENT_DISCRIMINATOR.as_ptr(), e, 8);
        copy32(e.add(8), claimer);
    }
    write_u64(e, 40, amount);
    write_u64(e, 48, cumulative_total);
    write_u64(e, 56, root_seq);
    unsafe { sys::sol_log_data(&Bytes::of(&event), 1) };
}
