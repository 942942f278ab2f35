//! The Solana runtime interface this program uses: syscalls (resolved by name when the program is loaded), the C
//! structures they take, and what a `no_std` program must define (panic handler, trap).

/// A byte slice as syscalls take it (`SolBytes`, also a signer seed).
#[repr(C)]
#[derive(Clone, Copy)]
pub struct Bytes {
    pub addr: *const u8,
    pub len: u64,
}

impl Bytes {
    #[inline(always)]
    pub const fn new(addr: *const u8, len: usize) -> Self {
        Bytes { addr, len: len as u64 }
    }

    #[inline(always)]
    pub const fn of(s: &[u8]) -> Self {
        Bytes { addr: s.as_ptr(), len: s.len() as u64 }
    }
}

/// `SolAccountMeta`: an account of an instruction invoked by CPI.
#[repr(C)]
pub struct AccountMeta {
    pub pubkey: *const u8,
    pub is_writable: bool,
    pub is_signer: bool,
}

/// `SolInstruction`: an instruction invoked by CPI.
#[repr(C)]
pub struct Instruction {
    pub program_id: *const u8,
    pub accounts: *const AccountMeta,
    pub account_len: u64,
    pub data: *const u8,
    pub data_len: u64,
}

/// `SolAccountInfo`: the caller's view of an account, pointing into the input buffer.
#[repr(C)]
pub struct AccountInfo {
    pub key: *const u8,
    pub lamports: *mut u64,
    pub data_len: u64,
    pub data: *mut u8,
    pub owner: *const u8,
    pub rent_epoch: u64,
    pub is_signer: bool,
    pub is_writable: bool,
    pub executable: bool,
}

/// `SolSignerSeeds`: the seeds of one PDA signer (each seed a `Bytes`, the bump last).
#[repr(C)]
pub struct SignerSeeds {
    pub addr: *const Bytes,
    pub len: u64,
}

unsafe extern "C" {
    pub fn sol_log_(message: *const u8, len: u64);
    pub fn sol_log_data(data: *const Bytes, count: u64);
    pub fn sol_keccak256(values: *const Bytes, count: u64, result: *mut u8) -> u64;
    pub fn sol_sha256(values: *const Bytes, count: u64, result: *mut u8) -> u64;
    /// 0 when the 32 bytes are a point of `curve` (0: Curve25519 in Edwards form), else 1.
    pub fn sol_curve_validate_point(curve: u64, point: *const u8, result: *mut u8) -> u64;
    pub fn sol_invoke_signed_c(
        instruction: *const Instruction,
        infos: *const AccountInfo,
        info_count: u64,
        signers: *const SignerSeeds,
        signer_count: u64,
    ) -> u64;
    pub fn sol_get_clock_sysvar(clock: *mut u8) -> u64;
    pub fn sol_get_rent_sysvar(rent: *mut u8) -> u64;
    fn sol_memcpy_(dst: *mut u8, src: *const u8, n: u64);
    fn abort() -> !;
}

/// Copies `n` bytes from `src` to `dst` (non-overlapping) with the runtime's memcpy. Copies of a length known at
/// compile time need nothing: LLVM expands them into loads and stores. LLVM's BPF backend refuses to emit a call
/// for any other copy ("A call to built-in function 'memcpy' is not supported"), so those go through here.
#[inline(always)]
pub fn copy(dst: *mut u8, src: *const u8, n: usize) {
    unsafe { sol_memcpy_(dst, src, n as u64) }
}

/// What LLVM's BPF backend calls for a trap (`llvm.trap`: an aborting panic, or code it proved unreachable).
#[unsafe(no_mangle)]
pub extern "C" fn __bpf_trap() -> ! {
    unsafe { abort() }
}

#[panic_handler]
fn panic(_: &core::panic::PanicInfo) -> ! {
    // Built with panic=immediate-abort, nothing formats a message; the program avoids panicking paths anyway.
    unsafe { abort() }
}

/// Writes `message` to the program log (`Program log: ...`).
#[inline(always)]
pub fn log(message: &[u8]) {
    unsafe { sol_log_(message.as_ptr(), message.len() as u64) }
}

/// keccak256 of the concatenation of `parts` into `out`.
#[inline(always)]
pub fn keccak(parts: &[Bytes], out: &mut [u8; 32]) {
    unsafe { sol_keccak256(parts.as_ptr(), parts.len() as u64, out.as_mut_ptr()) };
}

/// The current slot (Clock sysvar).
#[inline(never)]
pub fn current_slot() -> u64 {
    let mut clock = [0u64; 5]; // slot, epoch_start_timestamp, epoch, leader_schedule_epoch, unix_timestamp
    unsafe { sol_get_clock_sysvar(clock.as_mut_ptr() as *mut u8) };
    clock[0]
}

/// The rent-exempt minimum balance of an account of `space` bytes, as `Rent::minimum_balance` computes it:
/// `((128 + space) * lamports_per_byte_year) as f64 * exemption_threshold`, in integer arithmetic (BPF has no
/// floats). The threshold is a dyadic number in practice (2.0, or 1.0 after SIMD-0194), which this computes
/// exactly; `None` if the product does not fit a u64.
#[inline(never)]
pub fn rent_exempt_minimum(space: u64) -> Option<u64> {
    let mut rent = [0u64; 3]; // lamports_per_byte_year, exemption_threshold (f64 bits), burn_percent
    unsafe { sol_get_rent_sysvar(rent.as_mut_ptr() as *mut u8) };
    let base = checked_mul(128 + space, rent[0])?;
    let bits = rent[1];
    let exponent = ((bits >> 52) & 0x7ff) as i64;
    if bits >> 63 != 0 || exponent == 0 || exponent == 0x7ff {
        return if bits << 1 == 0 { Some(0) } else { None }; // zero, or negative / subnormal / infinite / NaN
    }
    // threshold = mantissa * 2^shift exactly
    let mut mantissa = (bits & ((1u64 << 52) - 1)) | (1u64 << 52);
    let mut shift = exponent - 1075;
    let zeros = mantissa.trailing_zeros();
    mantissa >>= zeros;
    shift += zeros as i64;
    let product = checked_mul(base, mantissa)?;
    if shift >= 0 {
        if shift >= 64 || product.leading_zeros() < shift as u32 {
            return None;
        }
        Some(product << shift)
    } else if shift <= -64 {
        Some(0)
    } else {
        Some(product >> (-shift) as u32)
    }
}

/// `a * b` when both factors are below 2^32 (so the product fits), else `None`. Real rent parameters are far below
/// that. (`u64::checked_mul`, or `a > u64::MAX / b`, which LLVM turns back into it, need a 128-bit multiply that
/// BPF does not have.)
#[inline(always)]
pub fn checked_mul(a: u64, b: u64) -> Option<u64> {
    if (a | b) >> 32 != 0 { None } else { Some(a * b) }
}
