#![no_main]
// Body and notes: `rbox::fuzz::sh_parse` in src/fuzz.rs.
libfuzzer_sys::fuzz_target!(|data: &[u8]| rbox::fuzz::sh_parse(data));
