#![no_main]
// Body and notes: `rbox::fuzz::regex` in src/fuzz.rs.
libfuzzer_sys::fuzz_target!(|data: &[u8]| rbox::fuzz::regex(data));
