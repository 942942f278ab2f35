//! Errors: Anchor's numbers, returned as custom program errors (the runtime reports `{"Custom": n}`), each logged
//! first in Anchor's format so that clients that read Anchor logs (the SDK's `programErrorFromLogs`) name it:
//!
//! `Program log: AnchorError caused by account: treasury_ata. Error Code: ConstraintAddress. Error Number: 2012. ...`
//! `Program log: AnchorError occurred. Error Code: InvalidProof. Error Number: 6004. Error Message: ...`

use crate::sys;

/// A failed instruction: the custom error number it returns.
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct Error(pub u32);

pub type Result<T = ()> = core::result::Result<T, Error>;

// Anchor framework errors.
pub const INSTRUCTION_MISSING: u32 = 100;
pub const INSTRUCTION_FALLBACK_NOT_FOUND: u32 = 101;
pub const INSTRUCTION_DID_NOT_DESERIALIZE: u32 = 102;
pub const CONSTRAINT_MUT: u32 = 2000;
pub const CONSTRAINT_SEEDS: u32 = 2006;
pub const CONSTRAINT_ASSOCIATED: u32 = 2009;
pub const CONSTRAINT_ADDRESS: u32 = 2012;
pub const CONSTRAINT_TOKEN_MINT: u32 = 2014;
pub const CONSTRAINT_TOKEN_OWNER: u32 = 2015;
pub const ACCOUNT_DISCRIMINATOR_NOT_FOUND: u32 = 3001;
pub const ACCOUNT_DISCRIMINATOR_MISMATCH: u32 = 3002;
pub const ACCOUNT_DID_NOT_DESERIALIZE: u32 = 3003;
pub const ACCOUNT_NOT_ENOUGH_KEYS: u32 = 3005;
pub const ACCOUNT_OWNED_BY_WRONG_PROGRAM: u32 = 3007;
pub const INVALID_PROGRAM_ID: u32 = 3008;
pub const ACCOUNT_NOT_SIGNER: u32 = 3010;
pub const ACCOUNT_NOT_INITIALIZED: u32 = 3012;

// The program's own errors (6000 + variant index of the deployed program's enum).
pub const UNAUTHORIZED: u32 = 6000;
pub const PROTOCOL_PAUSED: u32 = 6002;
pub const INVALID_PROOF: u32 = 6004;
pub const INVALID_PROOF_LENGTH: u32 = 6005;
pub const INVALID_ROOT_SEQ: u32 = 6006;
pub const ROOT_TOO_OLD_OR_MISSING: u32 = 6007;
pub const INVALID_CLAIM_STATE: u32 = 6008;
pub const INVALID_MINT: u32 = 6016;
pub const INVALID_TOKEN_PROGRAM: u32 = 6019;
pub const MATH_OVERFLOW: u32 = 6041;
pub const GLOBAL_ROOT_NOT_INITIALIZED: u32 = 6052;

fn describe(code: u32) -> (&'static [u8], &'static [u8]) {
    match code {
        INSTRUCTION_MISSING => (b"InstructionMissing", b"8 byte instruction identifier not provided"),
        INSTRUCTION_FALLBACK_NOT_FOUND => (b"InstructionFallbackNotFound", b"Fallback functions are not supported"),
        INSTRUCTION_DID_NOT_DESERIALIZE => {
            (b"InstructionDidNotDeserialize", b"The program could not deserialize the given instruction")
        }
        CONSTRAINT_MUT => (b"ConstraintMut", b"A mut constraint was violated"),
        CONSTRAINT_SEEDS => (b"ConstraintSeeds", b"A seeds constraint was violated"),
        CONSTRAINT_ASSOCIATED => (b"ConstraintAssociated", b"An associated constraint was violated"),
        CONSTRAINT_ADDRESS => (b"ConstraintAddress", b"An address constraint was violated"),
        CONSTRAINT_TOKEN_MINT => (b"ConstraintTokenMint", b"A token mint constraint was violated"),
        CONSTRAINT_TOKEN_OWNER => (b"ConstraintTokenOwner", b"A token owner constraint was violated"),
        ACCOUNT_DISCRIMINATOR_NOT_FOUND => (b"AccountDiscriminatorNotFound", b"No 8 byte discriminator was found on the account"),
        ACCOUNT_DISCRIMINATOR_MISMATCH => {
            (b"AccountDiscriminatorMismatch", b"8 byte discriminator did not match what was expected")
        }
        ACCOUNT_DID_NOT_DESERIALIZE => (b"AccountDidNotDeserialize", b"Failed to deserialize the account"),
        ACCOUNT_NOT_ENOUGH_KEYS => (b"AccountNotEnoughKeys", b"Not enough account keys given to the instruction"),
        ACCOUNT_OWNED_BY_WRONG_PROGRAM => {
            (b"AccountOwnedByWrongProgram", b"The given account is owned by a different program than expected")
        }
        INVALID_PROGRAM_ID => (b"InvalidProgramId", b"Program ID was not as expected"),
        ACCOUNT_NOT_SIGNER => (b"AccountNotSigner", b"The given account did not sign"),
        ACCOUNT_NOT_INITIALIZED => {
            (b"AccountNotInitialized", b"The program expected this account to be already initialized")
        }
        UNAUTHORIZED => (b"Unauthorized", b"Unauthorized"),
        PROTOCOL_PAUSED => (b"ProtocolPaused", b"Protocol is paused"),
        INVALID_PROOF => (b"InvalidProof", b"Invalid proof"),
        INVALID_PROOF_LENGTH => (b"InvalidProofLength", b"Proof has more than 32 siblings"),
        INVALID_ROOT_SEQ => (b"InvalidRootSeq", b"Root sequence must be the latest + 1"),
        ROOT_TOO_OLD_OR_MISSING => (b"RootTooOldOrMissing", b"Root is too old or missing"),
        INVALID_CLAIM_STATE => (b"InvalidClaimState", b"Claim state belongs to another mint or wallet"),
        INVALID_MINT => (b"InvalidMint", b"Invalid mint"),
        INVALID_TOKEN_PROGRAM => (b"InvalidTokenProgram", b"Token program must be Token-2022"),
        MATH_OVERFLOW => (b"MathOverflow", b"Math overflow"),
        GLOBAL_ROOT_NOT_INITIALIZED => (b"GlobalRootNotInitialized", b"Global root config is not initialized"),
        _ => (b"Unknown", b"Unknown error"),
    }
}

/// A log line assembled on the stack (no allocator, no formatting machinery).
struct Line {
    bytes: [u8; 256],
    len: usize,
}

impl Line {
    #[inline(never)]
    fn push(&mut self, s: &[u8]) {
        let n = core::cmp::min(s.len(), self.bytes.len() - self.len);
        sys::copy(unsafe { self.bytes.as_mut_ptr().add(self.len) }, s.as_ptr(), n);
        self.len += n;
    }

    fn push_number(&mut self, mut n: u32) {
        let mut digits = [0u8; 10];
        let mut i = digits.len();
        loop {
            i -= 1;
            digits[i] = b'0' + (n % 10) as u8;
            n /= 10;
            if n == 0 || i == 0 {
                break;
            }
        }
        self.push(&digits[i..]);
    }
}

#[inline(never)]
#[cold]
fn log_error(account: &[u8], code: u32) {
    let (name, message) = describe(code);
    let mut line = Line { bytes: [0; 256], len: 0 };
    if account.is_empty() {
        line.push(b"AnchorError occurred. Error Code: ");
    } else {
        line.push(b"AnchorError caused by account: ");
        line.push(account);
        line.push(b". Error Code: ");
    }
    line.push(name);
    line.push(b". Error Number: ");
    line.push_number(code);
    line.push(b". Error Message: ");
    line.push(message);
    line.push(b".");
    sys::log(&line.bytes[..line.len]);
}

/// An error of the instruction as a whole, logged.
#[inline(never)]
#[cold]
pub fn fail(code: u32) -> Error {
    log_error(&[], code);
    Error(code)
}

/// An error caused by the account named `account` (the name in the instruction's account list), logged.
#[inline(never)]
#[cold]
pub fn fail_account(account: &'static [u8], code: u32) -> Error {
    log_error(account, code);
    Error(code)
}
