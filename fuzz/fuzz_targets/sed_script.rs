#![no_main]
// Body and notes: `rbox::fuzz::sed_script` in src/fuzz.rs.
libfuzzer_sys::fuzz_target!(|data: &[u8]| rbox::fuzz::sed_script(data));
