//! `publish_global_root`: the next root of the mint's sequence.

use crate::error::{self, Result, fail, fail_account};
use crate::init::PROTOCOL_STATE;
use crate::input::Context;
use crate::state::{self, Expected, copy32, eq32, global_root_config as grc, protocol_state as ps, read_u64, write_u64};
use crate::sys::{self, Bytes};
use crate::{require_accounts, require_data, require_signer, require_writable};

pub const GLOBAL_ROOT_CONFIG: Expected = Expected {
    name: b"global_root_config",
    discriminator: &grc::DISCRIMINATOR,
    size: grc::SIZE,
    missing: error::GLOBAL_ROOT_NOT_INITIALIZED,
};

/// `sha256("event:GlobalRootPublished")[0..8]`
const EVENT_DISCRIMINATOR: [u8; 8] = [0xf5, 0x3e, 0xd3, 0x8c, 0x75, 0x0d, 0x1e, 0xbc];

/// `publish_global_root(root_seq u64, root [32], dataset_hash [32])`. Accounts: payer (signer; admin or publisher),
/// protocol_state, global_root_config (writable). The seq must be exactly latest + 1; the root goes to
/// `roots[seq % 4]` with the current slot. While paused only the admin may publish.
pub fn publish_global_root(ctx: &Context) -> Result {
    require_accounts(ctx, 3)?;
    require_data(ctx, 8 + 8 + 32 + 32)?;
    let payer = ctx.account(0);
    let protocol_state = ctx.account(1);
    let config = ctx.account(2);
    require_signer(&payer, b"payer")?;
    let state = state::load(&protocol_state, ctx.program_id, &PROTOCOL_STATE)?;
    let roots = state::load(&config, ctx.program_id, &GLOBAL_ROOT_CONFIG)?;
    require_writable(&config, b"global_root_config")?;
    let mint = unsafe { state.add(ps::MINT) };
    if !eq32(unsafe { roots.add(grc::MINT) }, mint) {
        return Err(fail_account(b"global_root_config", error::INVALID_MINT));
    }

    if !eq32(payer.key(), unsafe { state.add(ps::ADMIN) }) {
        if !eq32(payer.key(), unsafe { state.add(ps::PUBLISHER) }) {
            return Err(fail(error::UNAUTHORIZED));
        }
        if unsafe { *state.add(ps::PAUSED) } != 0 {
            return Err(fail(error::PROTOCOL_PAUSED));
        }
    }

    let root_seq = ctx.read_u64(8);
    let next = match read_u64(roots, grc::LATEST_ROOT_SEQ).checked_add(1) {
        Some(next) => next,
        None => return Err(fail(error::MATH_OVERFLOW)),
    };
    if root_seq != next {
        return Err(fail(error::INVALID_ROOT_SEQ));
    }

    let slot = sys::current_slot();
    let entry = unsafe { roots.add(grc::ROOTS + (root_seq % grc::ROOT_HISTORY) as usize * grc::ENTRY_SIZE) };
    write_u64(entry, 0, root_seq);
    copy32(unsafe { entry.add(grc::ENTRY_ROOT) }, ctx.at(16));
    copy32(unsafe { entry.add(grc::ENTRY_DATASET_HASH) }, ctx.at(48));
    write_u64(entry, grc::ENTRY_PUBLISHED_SLOT, slot);
    write_u64(roots, grc::LATEST_ROOT_SEQ, root_seq);

    // GlobalRootPublished { mint, root_seq, root, dataset_hash, publisher, slot }
    let mut event = [0u8; 152];
    let e = event.as_mut_ptr();
    unsafe {
        core::ptr::copy_nonoverlapping(EVENT_DISCRIMINATOR.as_ptr(), e, 8);
        copy32(e.add(8), mint);
        write_u64(e, 40, root_seq);
        copy32(e.add(48), ctx.at(16));
        copy32(e.add(80), ctx.at(48));
        copy32(e.add(112), payer.key());
        write_u64(e, 144, slot);
        sys::sol_log_data(&Bytes::of(&event), 1);
    }
    Ok(())
}
