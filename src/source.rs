//! Reading a content file: UTF-8 checks, byte-order mark and line endings, front matter.

use crate::diagnostics::{Diagnostic, Pos};
use std::path::Path;

/// The largest content file read, so that one runaway file cannot exhaust memory or time:
/// ten times the longest real bulletin, and far above any project entry.
pub const MAX_FILE_BYTES: u64 = 16 * 1024 * 1024;

/// A content file's text, normalised: no byte-order mark, `\n` line endings.
#[derive(Debug, Clone)]
pub struct Source {
    /// Path relative to the site root, with forward slashes.
    pub rel: String,
    pub text: String,
}

/// Reads `path` as UTF-8 text, refusing binary or oversized files with a positioned error.
pub fn read(path: &Path, rel: &str) -> Result<Source, Diagnostic> {
    let meta = std::fs::metadata(path)
        .map_err(|e| Diagnostic::error(rel, None, format!("cannot read the file: {e}")))?;
    if meta.len() > MAX_FILE_BYTES {
        return Err(Diagnostic::error(
            rel,
            None,
            format!(
                "the file is {} MB, more than the {} MB a content file may have",
                meta.len() / (1024 * 1024),
                MAX_FILE_BYTES / (1024 * 1024)
            ),
        )
        .with_hint("split it, or move large data into content/static/"));
    }
    let bytes = std::fs::read(path)
        .map_err(|e| Diagnostic::error(rel, None, format!("cannot read the file: {e}")))?;
    decode(bytes, rel)
}

/// Decodes bytes read from `rel`.
pub fn decode(bytes: Vec<u8>, rel: &str) -> Result<Source, Diagnostic> {
    let text = match String::from_utf8(bytes) {
        Ok(t) => t,
        Err(e) => {
            let good = e.utf8_error().valid_up_to();
            let bytes = e.into_bytes();
            let prefix = String::from_utf8_lossy(&bytes[..good]);
            return Err(Diagnostic::error(
                rel,
                Some(Pos::of_offset(&prefix, prefix.len())),
                "the file is not valid UTF-8 text",
            )
            .with_hint("save it as UTF-8 (GBK and other encodings are not read)"));
        }
    };
    if let Some(i) = text.find('\0') {
        return Err(Diagnostic::error(
            rel,
            Some(Pos::of_offset(&text, i)),
            "the file holds a NUL byte, which text never has",
        ));
    }
    Ok(Source {
        rel: rel.to_string(),
        text: normalize(text),
    })
}

/// Strips a byte-order mark and turns CRLF and lone CR line endings into LF.
pub fn normalize(text: String) -> String {
    let text = text
        .strip_prefix('\u{feff}')
        .map(str::to_string)
        .unwrap_or(text);
    if text.contains('\r') {
        text.replace("\r\n", "\n").replace('\r', "\n")
    } else {
        text
    }
}

/// A Markdown file cut into its front matter and body.
#[derive(Debug, Clone, Copy)]
pub struct Split<'a> {
    pub front: &'a str,
    /// Line number, in the file, of the front matter's first line.
    pub front_line: usize,
    pub body: &'a str,
    /// Line number, in the file, of the body's first line.
    pub body_line: usize,
}

/// Cuts `text` at its front matter: a first line `---`, YAML, and a line `---`.
/// An error has no path yet ([`Diagnostic::placed`] gives it one).
pub fn split_front_matter(text: &str) -> Result<Split<'_>, Diagnostic> {
    let mut lines = text.split_inclusive('\n');
    let first = lines.next().unwrap_or("");
    if first.trim_end() != "---" {
        return Err(Diagnostic::error("", Some(Pos::new(1, 1)),
            "a Markdown entry must start with front matter: a line `---`, YAML keys, and a closing line `---`",
        ));
    }
    let front_start = first.len();
    let mut offset = front_start;
    for (line, l) in (2..).zip(lines) {
        if l.trim_end() == "---" {
            return Ok(Split {
                front: &text[front_start..offset],
                front_line: 2,
                body: &text[offset + l.len()..],
                body_line: line + 1,
            });
        }
        offset += l.len();
    }
    Err(Diagnostic::error(
        "",
        Some(Pos::new(1, 1)),
        "the front matter opened on line 1 is never closed: add a line `---` after the last key",
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_front_matter_and_counts_lines() {
        let s = split_front_matter("---\na: 1\nb: 2\n---\nbody\n").unwrap();
        assert_eq!(s.front, "a: 1\nb: 2\n");
        assert_eq!((s.front_line, s.body_line), (2, 5));
        assert_eq!(s.body, "body\n");
        let s = split_front_matter("---\n---").unwrap();
        assert_eq!((s.front, s.body), ("", ""));
    }

    #[test]
    fn refuses_missing_or_unclosed_front_matter() {
        assert!(split_front_matter("title: x\n").is_err());
        let d = split_front_matter("---\ntitle: x\nbody\n").unwrap_err();
        let (pos, msg) = (d.pos.unwrap(), d.message);
        assert_eq!(pos, Pos::new(1, 1));
        assert!(msg.contains("never closed"));
    }

    #[test]
    fn windows_files_read_like_unix_ones() {
        let s = decode(b"\xef\xbb\xbf---\r\na: 1\r\n---\r\nx\r\n".to_vec(), "a.md").unwrap();
        assert_eq!(s.text, "---\na: 1\n---\nx\n");
        let e = decode(b"ok\n\xff".to_vec(), "a.md").unwrap_err();
        assert_eq!(e.pos, Some(Pos::new(2, 1)));
        assert!(decode(b"a\0b".to_vec(), "a.md").is_err());
    }
}
