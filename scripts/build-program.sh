#!/usr/bin/env bash
# Builds the local Attention Oracle program (programs/attention-oracle) into an SBPFv0 shared object:
#
#   rustc (Debian rustc-web, core built from rust-web-src)  ->  one LTO bitcode module
#   llc-22 -march=bpfel                                     ->  one relocatable BPF object
#   programs/toolchain/sbpf-link.ts                         ->  attention_oracle.so (ET_DYN, EM_BPF, e_flags 0)
#
# Usage:
#   scripts/build-program.sh           build, then write attention_oracle.so and attention_oracle.so.sha256
#   scripts/build-program.sh --check   build in a temporary folder and fail unless it is byte-identical to the
#                                      committed attention_oracle.so and its committed sha256
#
# Needs Debian's rustc-web, rust-web-src and llvm-22 (apt-get install -y rustc-web rust-web-src llvm-22) and the
# repository's node_modules (tsx). The build is reproducible: no time stamps or paths end up in the output.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
PROGRAM="$ROOT/programs/attention-oracle"
TOOLCHAIN="$ROOT/programs/toolchain"
SO="$PROGRAM/attention_oracle.so"
SUM="$PROGRAM/attention_oracle.so.sha256"
# The toolchain the committed build was made with; another version may compile to other bytes.
EXPECTED_RUSTC='rustc 1.96.0'
EXPECTED_LLC='22.1.8'

check=false
case "${1:-}" in
  --check) check=true ;;
  '') ;;
  *) echo "usage: $0 [--check]" >&2; exit 2 ;;
esac

missing() {
  echo "build-program: $1" >&2
  echo "build-program: install the toolchain with: apt-get install -y rustc-web rust-web-src llvm-22" >&2
  exit 1
}

# Debian's rustc-web is /usr/bin/rustc; a rustup rustc earlier on PATH has no core sources for bpfel, so use it
# by path unless RUSTC says otherwise.
RUSTC=${RUSTC:-/usr/bin/rustc}
LLC=${LLC:-llc-22}
[ -x "$RUSTC" ] || missing "no rustc at $RUSTC (Debian package rustc-web)"
command -v "$LLC" >/dev/null || missing "no $LLC on PATH (Debian package llvm-22)"
rustc_version=$("$RUSTC" --version)
llc_version=$("$LLC" --version | sed -n 's/.*LLVM version \([0-9.]*\).*/\1/p' | head -n 1)
case "$rustc_version" in "$EXPECTED_RUSTC"*) ;; *)
  echo "build-program: warning: $rustc_version is not $EXPECTED_RUSTC, the output may differ from the committed build" >&2 ;;
esac
[ "$llc_version" = "$EXPECTED_LLC" ] ||
  echo "build-program: warning: llc $llc_version is not $EXPECTED_LLC, the output may differ from the committed build" >&2
"$RUSTC" --print target-list | grep -qx bpfel-unknown-none || missing "$rustc_version has no bpfel-unknown-none target"
LIBRARY=$("$RUSTC" --print sysroot)/lib/rustlib/src/rust/library
[ -f "$LIBRARY/core/src/lib.rs" ] || missing "no Rust library sources at $LIBRARY (Debian package rust-web-src)"
[ -f "$ROOT/node_modules/tsx/package.json" ] || { echo "build-program: run pnpm install first (needs tsx)" >&2; exit 1; }

cd "$ROOT"
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
# BUILD_PROGRAM_KEEP=<dir>: also copy the intermediate files (bitcode, object, program) there, to inspect them.
keep() { if [ -n "${BUILD_PROGRAM_KEEP:-}" ]; then mkdir -p "$BUILD_PROGRAM_KEEP" && cp "$WORK"/attention_oracle.* "$BUILD_PROGRAM_KEEP"/; fi; }

# Flags shared by every crate: the bpfel target, no unwinding (a panic aborts), one codegen unit, no debug info, and
# source paths rewritten so that none of this machine's paths can reach the output.
RUST_FLAGS=(
  --edition 2024
  --target bpfel-unknown-none
  -C opt-level=3
  -C codegen-units=1
  -C debuginfo=0
  -Z unstable-options
  -C panic=immediate-abort
  "--remap-path-prefix=$LIBRARY=/rust/library"
  "--remap-path-prefix=$ROOT=/attention-oracle"
)
export RUSTC_BOOTSTRAP=1 # -Z flags and building core need it; this is the distribution's stable compiler

echo "build-program: $rustc_version, llc $llc_version"
echo "build-program: core (from $LIBRARY)"
"$RUSTC" "${RUST_FLAGS[@]}" --crate-name core --crate-type rlib -Z force-unstable-if-unmarked \
  -A warnings "$LIBRARY/core/src/lib.rs" -o "$WORK/libcore.rlib"
"$RUSTC" "${RUST_FLAGS[@]}" --crate-name compiler_builtins --crate-type rlib \
  --extern "core=$WORK/libcore.rlib" "$TOOLCHAIN/compiler_builtins.rs" -o "$WORK/libcompiler_builtins.rlib"

echo "build-program: attention_oracle -> LTO bitcode -> BPF object"
"$RUSTC" "${RUST_FLAGS[@]}" --crate-name attention_oracle --crate-type cdylib -C lto=fat -C overflow-checks=on \
  -D warnings --extern "core=$WORK/libcore.rlib" --extern "compiler_builtins=$WORK/libcompiler_builtins.rlib" \
  --emit=llvm-bc "$PROGRAM/src/lib.rs" -o "$WORK/attention_oracle.bc"
# -bpf-stack-size: SBPFv0 gives each call frame 4 KiB (the eBPF default is 512 bytes).
# -profile-guided-section-prefix=false: keep cold code in .text (SBPFv0 allows one code section).
# +allows-misaligned-mem-access: SBPF loads and stores need no alignment, so unaligned fields are single loads.
"$LLC" -march=bpfel -mcpu=generic -mattr=+allows-misaligned-mem-access -O3 -filetype=obj \
  -bpf-stack-size=4096 -profile-guided-section-prefix=false \
  "$WORK/attention_oracle.bc" -o "$WORK/attention_oracle.o"

echo "build-program: link"
node --import tsx "$TOOLCHAIN/sbpf-link.ts" "$WORK/attention_oracle.o" "$WORK/attention_oracle.so"
keep
hash=$(sha256sum "$WORK/attention_oracle.so" | cut -d' ' -f1)

if $check; then
  [ -f "$SUM" ] && [ -f "$SO" ] || { echo "build-program: no committed build to check against" >&2; exit 1; }
  committed=$(cut -d' ' -f1 "$SUM")
  actual=$(sha256sum "$SO" | cut -d' ' -f1)
  if [ "$actual" != "$committed" ]; then
    echo "build-program: FAIL: the committed attention_oracle.so ($actual) does not match its .sha256 ($committed)" >&2
    exit 1
  fi
  if [ "$hash" != "$committed" ]; then
    echo "build-program: FAIL: the rebuild ($hash) differs from the committed build ($committed)" >&2
    echo "build-program: rebuild with scripts/build-program.sh and commit both files, or check the toolchain versions" >&2
    exit 1
  fi
  echo "build-program: OK, the rebuild matches the committed build: $hash"
else
  cp "$WORK/attention_oracle.so" "$SO"
  echo "$hash  attention_oracle.so" >"$SUM"
  echo "build-program: wrote programs/attention-oracle/attention_oracle.so ($(wc -c <"$SO") bytes), sha256 $hash"
fi
