//! The shortcode parser, alone and inside Markdown rendering.
#![no_main]
use libfuzzer_sys::fuzz_target;
use sanpi::markdown::{render, Settings};

fuzz_target!(|text: &str| {
    let _ = sanpi::shortcode::parse(text);
    let mut errors = Vec::new();
    let place = sanpi::diagnostics::Place::lines(1);
    let md = render(text, place, "content/bulletins/x.md", Settings::default(), &mut errors);
    let html = md.plain_html("../");
    assert!(!html.contains("<script"), "raw HTML must be left out");
    for e in errors {
        assert!(e.pos.is_some());
    }
});
