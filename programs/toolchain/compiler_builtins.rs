//! An empty `compiler_builtins`: rustc links every `#![no_std]` crate against one. The program needs none of its
//! helpers (no u128, no floats, no atomics); the memory functions it needs are in the program (`sys.rs`). If the
//! compiler ever calls a helper, the link step fails naming it instead of shipping a program that cannot load.
#![feature(compiler_builtins)]
#![compiler_builtins]
#![no_std]
#![no_builtins]
#![allow(internal_features)]
