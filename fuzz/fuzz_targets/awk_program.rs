#![no_main]
// Body and notes: `rbox::fuzz::awk_program` in src/fuzz.rs.
libfuzzer_sys::fuzz_target!(|data: &[u8]| rbox::fuzz::awk_program(data));
