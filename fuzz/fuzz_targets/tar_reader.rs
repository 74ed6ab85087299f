#![no_main]
// Body and notes: `rbox::fuzz::tar_reader` in src/fuzz.rs.
libfuzzer_sys::fuzz_target!(|data: &[u8]| rbox::fuzz::tar_reader(data));
