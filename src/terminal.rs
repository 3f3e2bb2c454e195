//! What reaches the terminal: text from files with its control characters shown escaped,
//! and lines written so that a closed pipe or terminal is no panic.

use std::borrow::Cow;
use std::fmt::Display;
use std::io::Write;

/// Whether `c` must not reach a terminal as it is: the C0 and C1 controls (ESC starts colour,
/// cursor and hyperlink sequences, `\r` overwrites a line), the line and paragraph
/// separators, and the bidirectional overrides and isolates that reorder what is shown.
fn hidden(c: char) -> bool {
    c.is_control()
        || matches!(c, '\u{2028}' | '\u{2029}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

/// `s` with each character that could act on a terminal written as Rust writes it
/// (`\u{1b}`): what a file holds is shown, never obeyed.
pub fn shown(s: &str) -> Cow<'_, str> {
    if !s.chars().any(hidden) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        if hidden(c) {
            out.push_str(&format!("\\u{{{:x}}}", c as u32));
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// Writes a line to standard output. A reader that went away (`sanpi check | head -1`) is
/// no error of the run: the line is dropped, and the run ends as its work decides.
pub fn say(line: impl Display) {
    let _ = writeln!(std::io::stdout().lock(), "{line}");
}

/// Writes a line to standard error, dropping it when no one reads any more.
pub fn tell(line: impl Display) {
    let _ = writeln!(std::io::stderr().lock(), "{line}");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn terminal_sequences_are_shown_not_obeyed() {
        assert_eq!(shown("台账"), "台账");
        assert!(matches!(shown("plain"), Cow::Borrowed(_)));
        assert_eq!(shown("a\x1b[2Jb"), "a\\u{1b}[2Jb");
        assert_eq!(shown("x\ry"), "x\\u{d}y");
        assert_eq!(shown("a\u{9b}b"), "a\\u{9b}b");
        assert_eq!(
            shown("\x1b]8;;http://e.x\x07link\x1b]8;;\x07"),
            "\\u{1b}]8;;http://e.x\\u{7}link\\u{1b}]8;;\\u{7}"
        );
        assert_eq!(shown("\u{202e}abc\u{2028}"), "\\u{202e}abc\\u{2028}");
        assert_eq!(shown("line\nnext"), "line\\u{a}next");
    }
}
