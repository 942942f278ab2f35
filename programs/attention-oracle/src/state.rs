//! Account layouts, byte for byte as the deployed program stores them (Anchor: an 8-byte discriminator
//! `sha256("account:<Name>")[0..8]`, then the fields packed, little-endian), plus well-known program ids.

use crate::error::{self, Result, fail_account};
use crate::input::Account;

/// ProtocolState, 173 bytes, at PDA `["protocol_state"]`.
pub mod protocol_state {
    pub const SIZE: u64 = 173;
    pub const DISCRIMINATOR: [u8; 8] = [0x21, 0x33, 0xad, 0x86, 0x23, 0x8c, 0xc3, 0xf8];
    pub const SEED: &[u8] = b"protocol_state";
    pub const IS_INITIALIZED: usize = 8;
    pub const VERSION: usize = 9;
    pub const ADMIN: usize = 10;
    pub const PUBLISHER: usize = 42;
    pub const TREASURY: usize = 74;
    pub const ORACLE_AUTHORITY: usize = 106;
    pub const MINT: usize = 138;
    pub const PAUSED: usize = 170;
    pub const REQUIRE_RECEIPT: usize = 171;
    pub const BUMP: usize = 172;
}

/// GlobalRootConfig, 370 bytes, at PDA `["global_root", mint]`; root `seq` lives in `roots[seq % 4]`.
pub mod global_root_config {
    pub const SIZE: u64 = 370;
    pub const DISCRIMINATOR: [u8; 8] = [0xa7, 0x60, 0xc2, 0xe8, 0x19, 0x68, 0xeb, 0x3e];
    pub const SEED: &[u8] = b"global_root";
    pub const VERSION: usize = 8;
    pub const BUMP: usize = 9;
    pub const MINT: usize = 10;
    pub const LATEST_ROOT_SEQ: usize = 42;
    pub const ROOTS: usize = 50;
    pub const ROOT_HISTORY: u64 = 4;
    /// Each entry: seq u64 @0, root [32] @8, dataset_hash [32] @40, published_slot u64 @72.
    pub const ENTRY_SIZE: usize = 80;
    pub const ENTRY_ROOT: usize = 8;
    pub const ENTRY_DATASET_HASH: usize = 40;
    pub const ENTRY_PUBLISHED_SLOT: usize = 72;
}

/// ClaimStateGlobal, 90 bytes, at PDA `["claim_global", mint, wallet]`.
pub mod claim_state {
    pub const SIZE: u64 = 90;
    pub const DISCRIMINATOR: [u8; 8] = [0x1c, 0x82, 0x88, 0xcb, 0xe7, 0xda, 0x9d, 0xa7];
    pub const SEED: &[u8] = b"claim_global";
    pub const VERSION: usize = 8;
    pub const BUMP: usize = 9;
    pub const MINT: usize = 10;
    pub const WALLET: usize = 42;
    pub const CLAIMED_TOTAL: usize = 74;
    pub const LAST_CLAIM_SEQ: usize = 82;
}

/// The version byte this program writes into the accounts it creates.
pub const ACCOUNT_VERSION: u8 = 1;

pub const SYSTEM_PROGRAM_ID: [u8; 32] = [0; 32];
/// TokenzQdBNbLqP5VEhdkAS6EPFLC1PHnBqCXEpPxuEb
pub const TOKEN_2022_PROGRAM_ID: [u8; 32] = [
    0x06, 0xdd, 0xf6, 0xe1, 0xee, 0x75, 0x8f, 0xde, 0x18, 0x42, 0x5d, 0xbc, 0xe4, 0x6c, 0xcd, 0xda, 0xb6, 0x1a, 0xfc,
    0x4d, 0x83, 0xb9, 0x0d, 0x27, 0xfe, 0xbd, 0xf9, 0x28, 0xd8, 0xa1, 0x8b, 0xfc,
];
/// ATokenGPvbdGVxr1b2hvZbsiqW5xWH25efTNsLJA8knL
pub const ASSOCIATED_TOKEN_PROGRAM_ID: [u8; 32] = [
    0x8c, 0x97, 0x25, 0x8f, 0x4e, 0x24, 0x89, 0xf1, 0xbb, 0x3d, 0x10, 0x29, 0x14, 0x8e, 0x0d, 0x83, 0x0b, 0x5a, 0x13,
    0x99, 0xda, 0xff, 0x10, 0x84, 0x04, 0x8e, 0x7b, 0xd8, 0xdb, 0xe9, 0xf8, 0x59,
];

/// SPL token account layout (Token-2022 accounts share the first 165 bytes): mint @0, owner @32.
pub const TOKEN_ACCOUNT_MINT: usize = 0;
pub const TOKEN_ACCOUNT_OWNER: usize = 32;
pub const TOKEN_ACCOUNT_LEN: u64 = 165;
/// SPL mint layout: decimals @44 (of 82 base bytes).
pub const MINT_DECIMALS: usize = 44;
pub const MINT_LEN: u64 = 82;

/// Whether two 32-byte keys are equal (four unaligned u64 compares).
#[inline(always)]
pub fn eq32(a: *const u8, b: *const u8) -> bool {
    unsafe {
        let (a, b) = (a as *const u64, b as *const u64);
        a.read_unaligned() == b.read_unaligned()
            && a.add(1).read_unaligned() == b.add(1).read_unaligned()
            && a.add(2).read_unaligned() == b.add(2).read_unaligned()
            && a.add(3).read_unaligned() == b.add(3).read_unaligned()
    }
}

#[inline(always)]
pub fn copy32(dst: *mut u8, src: *const u8) {
    unsafe { core::ptr::copy_nonoverlapping(src, dst, 32) }
}

#[inline(always)]
pub fn read_u64(p: *const u8, offset: usize) -> u64 {
    unsafe { core::ptr::read_unaligned(p.add(offset) as *const u64) }
}

#[inline(always)]
pub fn write_u64(p: *mut u8, offset: usize, value: u64) {
    unsafe { core::ptr::write_unaligned(p.add(offset) as *mut u64, value) }
}

/// An account never created: owned by the System program with no data. (An account the program is about to create
/// may already hold lamports; `cpi::create_pda` handles that.)
#[inline(always)]
pub fn is_uninitialized(account: &Account) -> bool {
    eq32(account.owner(), SYSTEM_PROGRAM_ID.as_ptr()) && account.data_len() == 0
}

/// What an account of this program must be for the instruction to read it.
pub struct Expected {
    pub name: &'static [u8],
    pub discriminator: &'static [u8; 8],
    pub size: u64,
    /// The error when the account was never created (Anchor's AccountNotInitialized, or a program error).
    pub missing: u32,
}

/// Checks that `account` is an account of this program of the expected kind (owner, discriminator, size), as
/// Anchor's `Account<T>` does, and returns its data. Owner and discriminator together authenticate it: this program
/// creates each kind only at its PDA, so no re-derivation is needed.
#[inline(never)]
pub fn load(account: &Account, program_id: *const u8, expected: &Expected) -> Result<*mut u8> {
    if !eq32(account.owner(), program_id) {
        let code = if is_uninitialized(account) { expected.missing } else { error::ACCOUNT_OWNED_BY_WRONG_PROGRAM };
        return Err(fail_account(expected.name, code));
    }
    let len = account.data_len();
    if len < 8 {
        return Err(fail_account(expected.name, error::ACCOUNT_DISCRIMINATOR_NOT_FOUND));
    }
    let data = account.data();
    if read_u64(data, 0) != u64::from_le_bytes(*expected.discriminator) {
        return Err(fail_account(expected.name, error::ACCOUNT_DISCRIMINATOR_MISMATCH));
    }
    if len < expected.size {
        return Err(fail_account(expected.name, error::ACCOUNT_DID_NOT_DESERIALIZE));
    }
    Ok(data)
}
