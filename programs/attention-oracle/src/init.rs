//! `initialize_protocol_state` and `initialize_global_root`: creating the two program-wide accounts.

use crate::cpi::{self, NewAccount};
use crate::error::{self, Result, fail, fail_account};
use crate::input::Context;
use crate::state::{
    self, ACCOUNT_VERSION, Expected, SYSTEM_PROGRAM_ID, TOKEN_2022_PROGRAM_ID, copy32, eq32, global_root_config as grc,
    protocol_state as ps,
};
use crate::sys::Bytes;
use crate::{require_accounts, require_data, require_program, require_signer, require_writable};

pub const PROTOCOL_STATE: Expected = Expected {
    name: b"protocol_state",
    discriminator: &ps::DISCRIMINATOR,
    size: ps::SIZE,
    missing: error::ACCOUNT_NOT_INITIALIZED,
};

/// `initialize_protocol_state(publisher [32], treasury [32], oracle_authority [32])`.
/// Accounts: admin (signer, writable, pays), protocol_state (writable, created at `["protocol_state"]`), mint
/// (a Token-2022 mint), system_program. The signer becomes the admin; a second call fails (the account exists).
pub fn initialize_protocol_state(ctx: &Context) -> Result {
    require_accounts(ctx, 4)?;
    require_data(ctx, 8 + 96)?;
    let admin = ctx.account(0);
    let protocol_state = ctx.account(1);
    let mint = ctx.account(2);
    let system_program = ctx.account(3);
    require_signer(&admin, b"admin")?;
    require_writable(&admin, b"admin")?;
    require_writable(&protocol_state, b"protocol_state")?;
    require_program(&system_program, &SYSTEM_PROGRAM_ID, b"system_program")?;
    if !eq32(mint.owner(), TOKEN_2022_PROGRAM_ID.as_ptr()) || mint.data_len() < state::MINT_LEN {
        return Err(fail_account(b"mint", error::INVALID_MINT));
    }

    let found = cpi::find_pda(&[Bytes::of(ps::SEED)], ctx.program_id);
    let Some((_, bump)) = found.filter(|(address, _)| eq32(protocol_state.key(), address.as_ptr())) else {
        return Err(fail_account(b"protocol_state", error::CONSTRAINT_SEEDS));
    };
    let bump_seed = [bump];
    cpi::create_pda(&NewAccount {
        payer: admin,
        account: protocol_state,
        space: ps::SIZE,
        owner: ctx.program_id,
        seeds: &[Bytes::of(ps::SEED), Bytes::of(&bump_seed)],
    })?;

    let data = protocol_state.data();
    unsafe {
        core::ptr::copy_nonoverlapping(ps::DISCRIMINATOR.as_ptr(), data, 8);
        *data.add(ps::IS_INITIALIZED) = 1;
        *data.add(ps::VERSION) = ACCOUNT_VERSION;
        copy32(data.add(ps::ADMIN), admin.key());
        copy32(data.add(ps::PUBLISHER), ctx.at(8));
        copy32(data.add(ps::TREASURY), ctx.at(40));
        copy32(data.add(ps::ORACLE_AUTHORITY), ctx.at(72));
        copy32(data.add(ps::MINT), mint.key());
        *data.add(ps::PAUSED) = 0;
        *data.add(ps::REQUIRE_RECEIPT) = 0;
        *data.add(ps::BUMP) = bump;
    }
    Ok(())
}

/// `initialize_global_root()`. Accounts: payer (signer, writable; admin or publisher), protocol_state,
/// global_root_config (writable, created at `["global_root", protocol_state.mint]`), system_program.
pub fn initialize_global_root(ctx: &Context) -> Result {
    require_accounts(ctx, 4)?;
    let payer = ctx.account(0);
    let protocol_state = ctx.account(1);
    let config = ctx.account(2);
    let system_program = ctx.account(3);
    require_signer(&payer, b"payer")?;
    require_writable(&payer, b"payer")?;
    let state = state::load(&protocol_state, ctx.program_id, &PROTOCOL_STATE)?;
    require_writable(&config, b"global_root_config")?;
    require_program(&system_program, &SYSTEM_PROGRAM_ID, b"system_program")?;
    let is_admin = eq32(payer.key(), unsafe { state.add(ps::ADMIN) });
    if !is_admin && !eq32(payer.key(), unsafe { state.add(ps::PUBLISHER) }) {
        return Err(fail(error::UNAUTHORIZED));
    }

    let mint = unsafe { state.add(ps::MINT) };
    let found = cpi::find_pda(&[Bytes::of(grc::SEED), Bytes::new(mint, 32)], ctx.program_id);
    let Some((_, bump)) = found.filter(|(address, _)| eq32(config.key(), address.as_ptr())) else {
        return Err(fail_account(b"global_root_config", error::CONSTRAINT_SEEDS));
    };
    let bump_seed = [bump];
    cpi::create_pda(&NewAccount {
        payer,
        account: config,
        space: grc::SIZE,
        owner: ctx.program_id,
        seeds: &[Bytes::of(grc::SEED), Bytes::new(mint, 32), Bytes::of(&bump_seed)],
    })?;

    // A new account is zeroed: latest_root_seq 0 and four empty root slots.
    let data = config.data();
    unsafe {
        core::ptr::copy_nonoverlapping(grc::DISCRIMINATOR.as_ptr(), data, 8);
        *data.add(grc::VERSION) = ACCOUNT_VERSION;
        *data.add(grc::BUMP) = bump;
        copy32(data.add(grc::MINT), mint);
    }
    Ok(())
}
