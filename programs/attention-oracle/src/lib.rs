//! The Attention Oracle program's global-root interface, for local chains: a dependency-free `#![no_std]` program
//! for SBPFv0 that accepts the same instructions, accounts, layouts, events and errors as the deployed (Anchor)
//! program. See ../../README.md for the interface decisions and the build.

#![no_std]
#![no_main]

mod claim;
mod cpi;
mod error;
mod init;
mod input;
mod publish;
mod state;
mod sys;

use error::{Result, fail};
use input::Context;

/// Instruction discriminators, `sha256("global:<name>")[0..8]` read as a little-endian u64.
mod discriminator {
    pub const INITIALIZE_PROTOCOL_STATE: u64 = u64::from_le_bytes([0xe5, 0xa8, 0x78, 0xa6, 0x07, 0x1f, 0x3b, 0xed]);
    pub const INITIALIZE_GLOBAL_ROOT: u64 = u64::from_le_bytes([0xca, 0x36, 0x6b, 0xf6, 0x18, 0xf7, 0x4b, 0xfd]);
    pub const PUBLISH_GLOBAL_ROOT: u64 = u64::from_le_bytes([0x51, 0x8d, 0xe2, 0x16, 0xfe, 0xa7, 0x62, 0xff]);
    pub const CLAIM_GLOBAL: u64 = u64::from_le_bytes([0x36, 0xb4, 0x97, 0x5b, 0x48, 0xf3, 0x6e, 0xf7]);
    pub const CLAIM_GLOBAL_SPONSORED: u64 = u64::from_le_bytes([0x15, 0x73, 0xd0, 0x49, 0x78, 0xf0, 0xf4, 0x94]);
    pub const CLAIM_GLOBAL_V2: u64 = u64::from_le_bytes([0xf8, 0x2c, 0xaa, 0x65, 0x31, 0xaa, 0x8c, 0x7e]);
    pub const CLAIM_GLOBAL_SPONSORED_V2: u64 = u64::from_le_bytes([0x59, 0x54, 0x84, 0x50, 0x8b, 0x5c, 0x5e, 0x04]);
}

/// The program's entry point: the loader passes the serialized input; 0 is success, anything else the error.
///
/// # Safety
/// Called by the runtime with its input buffer.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn entrypoint(input: *mut u8) -> u64 {
    let ctx = unsafe { Context::parse(input) };
    match dispatch(&ctx) {
        Ok(()) => 0,
        Err(error) => error.0 as u64,
    }
}

fn dispatch(ctx: &Context) -> Result {
    if ctx.data_len < 8 {
        return Err(fail(error::INSTRUCTION_MISSING));
    }
    match ctx.read_u64(0) {
        discriminator::INITIALIZE_PROTOCOL_STATE => init::initialize_protocol_state(ctx),
        discriminator::INITIALIZE_GLOBAL_ROOT => init::initialize_global_root(ctx),
        discriminator::PUBLISH_GLOBAL_ROOT => publish::publish_global_root(ctx),
        discriminator::CLAIM_GLOBAL => claim::claim(ctx, claim::Leaf::V4, false),
        discriminator::CLAIM_GLOBAL_SPONSORED => claim::claim(ctx, claim::Leaf::V4, true),
        discriminator::CLAIM_GLOBAL_V2 => claim::claim(ctx, claim::Leaf::V5, false),
        discriminator::CLAIM_GLOBAL_SPONSORED_V2 => claim::claim(ctx, claim::Leaf::V5, true),
        _ => Err(fail(error::INSTRUCTION_FALLBACK_NOT_FOUND)),
    }
}

/// Fails with AccountNotEnoughKeys unless the instruction has at least `n` accounts.
#[inline(always)]
fn require_accounts(ctx: &Context, n: usize) -> Result {
    if ctx.count < n { Err(fail(error::ACCOUNT_NOT_ENOUGH_KEYS)) } else { Ok(()) }
}

/// Fails with InstructionDidNotDeserialize unless the instruction data has at least `n` bytes.
#[inline(always)]
fn require_data(ctx: &Context, n: usize) -> Result {
    if ctx.data_len < n { Err(fail(error::INSTRUCTION_DID_NOT_DESERIALIZE)) } else { Ok(()) }
}

/// Fails with AccountNotSigner unless `account` signed.
#[inline(always)]
fn require_signer(account: &input::Account, name: &'static [u8]) -> Result {
    if account.is_signer() { Ok(()) } else { Err(error::fail_account(name, error::ACCOUNT_NOT_SIGNER)) }
}

/// Fails with ConstraintMut unless `account` is writable.
#[inline(always)]
fn require_writable(account: &input::Account, name: &'static [u8]) -> Result {
    if account.is_writable() { Ok(()) } else { Err(error::fail_account(name, error::CONSTRAINT_MUT)) }
}

/// Fails with InvalidProgramId unless `account` is the program `id`.
#[inline(always)]
fn require_program(account: &input::Account, id: &[u8; 32], name: &'static [u8]) -> Result {
    if state::eq32(account.key(), id.as_ptr()) {
        Ok(())
    } else {
        Err(error::fail_account(name, error::INVALID_PROGRAM_ID))
    }
}
