//! Decoding and splitting a content file: any bytes give text or a positioned error.
#![no_main]
use libfuzzer_sys::fuzz_target;
use sanpi::source::{decode, split_front_matter};

fuzz_target!(|data: &[u8]| {
    if let Ok(src) = decode(data.to_vec(), "content/projects/x.md") {
        if let Ok(s) = split_front_matter(&src.text) {
            assert!(s.front_line == 2 && s.body_line >= 3);
            assert!(src.text.len() >= s.front.len() + s.body.len());
        }
    }
});
