#![no_main]
// Body and notes: `rbox::fuzz::line_editor` in src/fuzz.rs.
libfuzzer_sys::fuzz_target!(|data: &[u8]| rbox::fuzz::line_editor(data));
