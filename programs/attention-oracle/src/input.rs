//! The program's input, as the upgradeable loader serializes it (aligned ABI), read in place.
//!
//! ```text
//! u64 account count
//! per account, 8-aligned:
//!   new:       u8 0xFF, u8 is_signer, u8 is_writable, u8 executable, 4 padding bytes, key [32] @8, owner [32] @40,
//!              lamports u64 @72, data_len u64 @80, data @88, 10,240 bytes of growth room, padding to 8, rent_epoch u64
//!   duplicate: u8 index of the earlier account, 7 padding bytes
//! u64 instruction data length, the data, the program id [32]
//! ```
//!
//! A CPI rewrites an account's lamports, owner, data_len and data in place; record positions never move, so the
//! records are walked once at entry and read through their pointers afterwards.

use crate::sys::AccountInfo;

/// Room the loader leaves after each account's data for it to grow in one instruction.
const MAX_PERMITTED_DATA_INCREASE: u64 = 10 * 1024;
/// Accounts remembered by the program: every instruction has fewer.
pub const MAX_ACCOUNTS: usize = 16;

/// One account of the instruction: a pointer to its record in the input buffer.
#[derive(Clone, Copy)]
pub struct Account {
    record: *mut u8,
    /// The data length at entry: where the record's rent_epoch is.
    original_len: u64,
}

impl Account {
    const NONE: Account = Account { record: core::ptr::null_mut(), original_len: 0 };

    #[inline(always)]
    pub fn key(&self) -> *const u8 {
        unsafe { self.record.add(8) }
    }

    #[inline(always)]
    pub fn owner(&self) -> *const u8 {
        unsafe { self.record.add(40) }
    }

    #[inline(always)]
    pub fn lamports(&self) -> u64 {
        unsafe { *(self.record.add(72) as *const u64) }
    }

    #[inline(always)]
    pub fn data_len(&self) -> u64 {
        unsafe { *(self.record.add(80) as *const u64) }
    }

    #[inline(always)]
    pub fn data(&self) -> *mut u8 {
        unsafe { self.record.add(88) }
    }

    #[inline(always)]
    pub fn is_signer(&self) -> bool {
        unsafe { *self.record.add(1) != 0 }
    }

    #[inline(always)]
    pub fn is_writable(&self) -> bool {
        unsafe { *self.record.add(2) != 0 }
    }

    /// The account as a CPI takes it, read now: build it right before each CPI, since an earlier CPI may have
    /// changed the account (a stale one fails with ExternalAccountDataModified).
    #[inline(always)]
    pub fn info(&self) -> AccountInfo {
        unsafe {
            let rent_epoch_at = align8(88 + self.original_len + MAX_PERMITTED_DATA_INCREASE);
            AccountInfo {
                key: self.key(),
                lamports: self.record.add(72) as *mut u64,
                data_len: self.data_len(),
                data: self.data(),
                owner: self.owner(),
                rent_epoch: *(self.record.add(rent_epoch_at as usize) as *const u64),
                is_signer: self.is_signer(),
                is_writable: self.is_writable(),
                executable: *self.record.add(3) != 0,
            }
        }
    }
}

#[inline(always)]
const fn align8(n: u64) -> u64 {
    (n + 7) & !7
}

/// The whole input: accounts, instruction data and program id.
pub struct Context {
    pub accounts: [Account; MAX_ACCOUNTS],
    /// How many accounts the instruction has (only the first MAX_ACCOUNTS are kept).
    pub count: usize,
    pub data: *const u8,
    pub data_len: usize,
    pub program_id: *const u8,
}

impl Context {
    /// Walks the serialized input once.
    ///
    /// # Safety
    /// `input` must be the loader's input buffer.
    #[inline(always)]
    pub unsafe fn parse(input: *mut u8) -> Context {
        unsafe {
            let count = *(input as *const u64) as usize;
            let mut accounts = [Account::NONE; MAX_ACCOUNTS];
            let mut at = input.add(8);
            let mut i = 0;
            while i < count {
                let marker = *at as usize;
                let account = if marker == 0xff {
                    let original_len = *(at.add(80) as *const u64);
                    let account = Account { record: at, original_len };
                    at = at.add((align8(88 + original_len + MAX_PERMITTED_DATA_INCREASE) + 8) as usize);
                    account
                } else {
                    at = at.add(8);
                    if marker < MAX_ACCOUNTS { accounts[marker] } else { Account::NONE }
                };
                if i < MAX_ACCOUNTS {
                    accounts[i] = account;
                }
                i += 1;
            }
            let data_len = *(at as *const u64) as usize;
            let data = at.add(8);
            Context { accounts, count, data, data_len, program_id: data.add(data_len) }
        }
    }

    /// Account `i`; callers check `count` first (see `require_accounts`).
    #[inline(always)]
    pub fn account(&self, i: usize) -> Account {
        self.accounts[i]
    }

    #[inline(always)]
    pub fn read_u64(&self, offset: usize) -> u64 {
        unsafe { core::ptr::read_unaligned(self.data.add(offset) as *const u64) }
    }

    #[inline(always)]
    pub fn read_u32(&self, offset: usize) -> u32 {
        unsafe { core::ptr::read_unaligned(self.data.add(offset) as *const u32) }
    }

    #[inline(always)]
    pub fn at(&self, offset: usize) -> *const u8 {
        unsafe { self.data.add(offset) }
    }
}
