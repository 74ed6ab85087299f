#![no_main]
// Body and notes: `rbox::fuzz::ls_colors` in src/fuzz.rs.
libfuzzer_sys::fuzz_target!(|data: &[u8]| rbox::fuzz::ls_colors(data));
