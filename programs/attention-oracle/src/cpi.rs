//! Calls into other programs (System, Associated Token Account, Token-2022) and PDA derivation.

use crate::error::{Error, Result, fail};
use crate::input::Account;
use crate::state::{ASSOCIATED_TOKEN_PROGRAM_ID, SYSTEM_PROGRAM_ID, TOKEN_2022_PROGRAM_ID};
use crate::sys::{self, AccountInfo, AccountMeta, Bytes, Instruction, SignerSeeds};

/// The canonical PDA of `seeds` (at most 3) under `program_id`, and its bump: what `find_program_address` returns,
/// computed here as it defines it: the first bump from 255 down for which
/// `sha256(seeds || bump || program_id || "ProgramDerivedAddress")` is not a Curve25519 point. One try costs about
/// 330 compute units this way (a sha256 and a point check) against 1,500 through `sol_try_find_program_address`,
/// which matters on a first claim: the claim state's address is searched for then. Only accounts being created (or
/// an existing token account's address) are derived; stored bumps are used otherwise.
#[inline(never)]
pub fn find_pda(seeds: &[Bytes], program_id: *const u8) -> Option<([u8; 32], u8)> {
    const MARKER: &[u8] = b"ProgramDerivedAddress";
    if seeds.len() > 3 {
        return None;
    }
    let mut bump = [255u8];
    let mut parts = [Bytes::of(&[]); 6];
    let mut n = 0;
    while n < seeds.len() {
        parts[n] = seeds[n];
        n += 1;
    }
    parts[n] = Bytes::of(&bump);
    parts[n + 1] = Bytes::new(program_id, 32);
    parts[n + 2] = Bytes::of(MARKER);
    let mut address = [0u8; 32];
    loop {
        parts[n] = Bytes::of(&bump);
        let mut on_curve = 0u8;
        unsafe {
            sys::sol_sha256(parts.as_ptr(), (n + 3) as u64, address.as_mut_ptr());
            if sys::sol_curve_validate_point(0, address.as_ptr(), &mut on_curve) != 0 {
                return Some((address, bump[0]));
            }
        }
        if bump[0] == 0 {
            return None;
        }
        bump[0] -= 1;
    }
}

#[inline(always)]
fn meta(account: &Account, is_writable: bool, is_signer: bool) -> AccountMeta {
    AccountMeta { pubkey: account.key(), is_writable, is_signer }
}

/// Invokes `program` with `metas` and `data`, passing `infos`, signed by the PDA of `signer` when given.
#[inline(always)]
fn invoke(program: &[u8; 32], metas: &[AccountMeta], data: &[u8], infos: &[AccountInfo], signer: &[Bytes]) -> Result {
    let instruction = Instruction {
        program_id: program.as_ptr(),
        accounts: metas.as_ptr(),
        account_len: metas.len() as u64,
        data: data.as_ptr(),
        data_len: data.len() as u64,
    };
    let seeds = SignerSeeds { addr: signer.as_ptr(), len: signer.len() as u64 };
    let signer_count = if signer.is_empty() { 0 } else { 1 };
    let status =
        unsafe { sys::sol_invoke_signed_c(&instruction, infos.as_ptr(), infos.len() as u64, &seeds, signer_count) };
    // A failing callee aborts the whole transaction; a non-zero status means the call itself was refused.
    if status == 0 { Ok(()) } else { Err(Error(status as u32)) }
}

/// The accounts of a System program call that creates a PDA.
pub struct NewAccount<'a> {
    pub payer: Account,
    pub account: Account,
    pub space: u64,
    /// The owner of the new account: this program.
    pub owner: *const u8,
    /// The PDA's seeds, bump last.
    pub seeds: &'a [Bytes],
}

/// Creates the PDA `new.account` with `new.space` zeroed bytes owned by `new.owner`, rent-exempt, paid by
/// `new.payer`. Like Anchor's `init`: an address that already holds lamports (sent there by anyone) is topped up,
/// allocated and assigned instead of failing; an account that already has data or an owner fails in the System
/// program (AccountAlreadyInUse).
#[inline(never)]
pub fn create_pda(new: &NewAccount) -> Result {
    let rent = match sys::rent_exempt_minimum(new.space) {
        Some(rent) => rent,
        None => return Err(fail(crate::error::MATH_OVERFLOW)),
    };
    let current = new.account.lamports();
    if current == 0 {
        let metas = [meta(&new.payer, true, true), meta(&new.account, true, true)];
        // CreateAccount: u32 0, lamports u64, space u64, owner [32]
        let mut data = [0u8; 52];
        data[4..12].copy_from_slice(&rent.to_le_bytes());
        data[12..20].copy_from_slice(&new.space.to_le_bytes());
        unsafe { core::ptr::copy_nonoverlapping(new.owner, data.as_mut_ptr().add(20), 32) };
        let infos = [new.payer.info(), new.account.info()];
        return invoke(&SYSTEM_PROGRAM_ID, &metas, &data, &infos, new.seeds);
    }
    if current < rent {
        // Transfer: u32 2, lamports u64
        let mut data = [0u8; 12];
        data[0] = 2;
        data[4..12].copy_from_slice(&(rent - current).to_le_bytes());
        let metas = [meta(&new.payer, true, true), meta(&new.account, true, false)];
        let infos = [new.payer.info(), new.account.info()];
        invoke(&SYSTEM_PROGRAM_ID, &metas, &data, &infos, &[])?;
    }
    let own = [meta(&new.account, true, true)];
    // Allocate: u32 8, space u64
    let mut data = [0u8; 12];
    data[0] = 8;
    data[4..12].copy_from_slice(&new.space.to_le_bytes());
    invoke(&SYSTEM_PROGRAM_ID, &own, &data, &[new.account.info()], new.seeds)?;
    // Assign: u32 1, owner [32]
    let mut data = [0u8; 36];
    data[0] = 1;
    unsafe { core::ptr::copy_nonoverlapping(new.owner, data.as_mut_ptr().add(4), 32) };
    invoke(&SYSTEM_PROGRAM_ID, &own, &data, &[new.account.info()], new.seeds)
}

/// The accounts of the Associated Token Account program's CreateIdempotent.
pub struct NewTokenAccount {
    pub funder: Account,
    pub token_account: Account,
    pub wallet: Account,
    pub mint: Account,
    pub system_program: Account,
    pub token_program: Account,
}

/// Creates `a.token_account`, the Token-2022 associated token account of `a.wallet` for `a.mint` (the ATA program
/// checks the address), paid by `a.funder`.
#[inline(never)]
pub fn create_associated_token_account(a: &NewTokenAccount) -> Result {
    let metas = [
        meta(&a.funder, true, true),
        meta(&a.token_account, true, false),
        meta(&a.wallet, false, false),
        meta(&a.mint, false, false),
        meta(&a.system_program, false, false),
        meta(&a.token_program, false, false),
    ];
    let infos = [
        a.funder.info(),
        a.token_account.info(),
        a.wallet.info(),
        a.mint.info(),
        a.system_program.info(),
        a.token_program.info(),
    ];
    invoke(&ASSOCIATED_TOKEN_PROGRAM_ID, &metas, &[1], &infos, &[])
}

/// The accounts and amount of a Token-2022 TransferChecked.
pub struct Transfer<'a> {
    pub source: Account,
    pub mint: Account,
    pub destination: Account,
    pub authority: Account,
    pub amount: u64,
    pub decimals: u8,
    /// The authority PDA's seeds, bump last.
    pub seeds: &'a [Bytes],
}

/// Moves `t.amount` base units from `t.source` to `t.destination`, signed by the PDA `t.authority`. The mint's
/// transfer fee is withheld from the amount in the destination account.
#[inline(never)]
pub fn transfer_checked(t: &Transfer) -> Result {
    let metas = [
        meta(&t.source, true, false),
        meta(&t.mint, false, false),
        meta(&t.destination, true, false),
        meta(&t.authority, false, true),
    ];
    // TransferChecked: u8 12, amount u64, decimals u8
    let mut data = [0u8; 10];
    data[0] = 12;
    data[1..9].copy_from_slice(&t.amount.to_le_bytes());
    data[9] = t.decimals;
    let infos = [t.source.info(), t.mint.info(), t.destination.info(), t.authority.info()];
    invoke(&TOKEN_2022_PROGRAM_ID, &metas, &data, &infos, t.seeds)
}
