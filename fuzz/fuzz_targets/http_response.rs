#![no_main]
// Body and notes: `rbox::fuzz::http_response` in src/fuzz.rs.
libfuzzer_sys::fuzz_target!(|data: &[u8]| rbox::fuzz::http_response(data));
