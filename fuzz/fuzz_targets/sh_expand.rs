#![no_main]
// Body and notes: `rbox::fuzz::sh_expand` in src/fuzz.rs.
libfuzzer_sys::fuzz_target!(|data: &[u8]| rbox::fuzz::sh_expand(data));
