//! Printing diagnostics for people: FORMAT.md's one-line form first, then the source line
//! with the spot marked and the hint (annotate-snippets), in colour only on a terminal.

use crate::diagnostics::{Diagnostic, Severity};
use annotate_snippets::{Level, Renderer, Snippet};
use std::path::Path;

/// How to print.
#[derive(Debug, Clone, Copy)]
pub struct Style {
    pub color: bool,
    /// Show the source line under each diagnostic.
    pub snippets: bool,
}

/// The diagnostic as the user sees it: its line, then (when it points into a readable file)
/// the source line with the spot marked.
pub fn render(d: &Diagnostic, root: &Path, style: Style) -> String {
    // Paths, messages and hints carry text from files: shown, never obeyed by the terminal.
    let line = crate::terminal::shown(&d.to_string()).into_owned();
    let first = if style.color {
        let (word, color) = match d.severity {
            Severity::Error => ("error", "\x1b[1;31m"),
            Severity::Warning => ("warning", "\x1b[1;33m"),
        };
        format!("{color}{word}\x1b[0m{}", &line[word.len()..])
    } else {
        line
    };
    let Some(snippet) = style
        .snippets
        .then(|| snippet(d, root, style.color))
        .flatten()
    else {
        return first;
    };
    format!("{first}\n{snippet}")
}

fn snippet(d: &Diagnostic, root: &Path, color: bool) -> Option<String> {
    let pos = d.pos?;
    if d.path.is_empty() {
        return None;
    }
    let bytes = std::fs::read(root.join(&d.path)).ok()?;
    let text = crate::source::normalize(String::from_utf8(bytes).ok()?);
    let raw_line = text.lines().nth(pos.line.checked_sub(1)?)?;
    // The line as shown (control characters escaped), and the column as a byte offset in it:
    // the escaped width of the characters before it.
    let src_line = &*crate::terminal::shown(raw_line);
    let start: usize = raw_line
        .chars()
        .take(pos.col.saturating_sub(1))
        .map(|c| crate::terminal::shown(c.encode_utf8(&mut [0; 4])).len())
        .sum();
    let end = src_line[start.min(src_line.len())..]
        .chars()
        .next()
        .map_or(start, |c| start + c.len_utf8());
    let label = d.hint.as_deref().unwrap_or("here");
    let level = match d.severity {
        Severity::Error => Level::Error,
        Severity::Warning => Level::Warning,
    };
    let message = level.title("").snippet(
        Snippet::source(src_line).line_start(pos.line).annotation(
            level
                .span(start.min(src_line.len())..end.max(start + 1).min(src_line.len().max(1)))
                .label(label),
        ),
    );
    let renderer = if color {
        Renderer::styled()
    } else {
        Renderer::plain()
    };
    let out = renderer.render(message).to_string();
    // Its title line repeats what our own line said: keep the source and the marks only.
    let kept: Vec<&str> = out
        .lines()
        .skip_while(|l| !l.trim_start().starts_with('|') && !l.contains(" |"))
        .collect();
    Some(kept.join("\n"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostics::Pos;

    #[test]
    fn shows_the_line_and_marks_the_spot() {
        let tmp = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(tmp.path().join("content")).unwrap();
        std::fs::write(
            tmp.path().join("content/a.md"),
            "---\nname: 项目\nperiod: 9\n---\n",
        )
        .unwrap();
        let d = Diagnostic::error(
            "content/a.md",
            Some(Pos::new(3, 9)),
            "period 9 does not exist",
        )
        .with_hint("defined periods: 1, 2");
        let out = render(
            &d,
            tmp.path(),
            Style {
                color: false,
                snippets: true,
            },
        );
        let lines: Vec<&str> = out.lines().collect();
        assert_eq!(
            lines[0],
            "error: content/a.md:3:9: period 9 does not exist; defined periods: 1, 2"
        );
        assert!(out.contains("3 | period: 9"), "{out}");
        assert!(out.contains("^ defined periods: 1, 2"), "{out}");
        assert!(!lines[1..].iter().any(|l| l.starts_with("error")), "{out}");
        let plain = render(
            &d,
            tmp.path(),
            Style {
                color: false,
                snippets: false,
            },
        );
        assert_eq!(plain.lines().count(), 1);
    }

    #[test]
    fn control_characters_from_a_file_are_shown_escaped() {
        let tmp = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(tmp.path().join("content")).unwrap();
        std::fs::write(
            tmp.path().join("content/a.md"),
            "---\nname: \x1b[2J项\x07X\nperiod: 9\n---\n",
        )
        .unwrap();
        let d = Diagnostic::error(
            "content/a.md",
            Some(Pos::new(2, 11)),
            "sector \x1b]8;;http://evil\x07click\x1b]8;;\x07 is unknown",
        );
        let out = render(
            &d,
            tmp.path(),
            Style {
                color: false,
                snippets: true,
            },
        );
        assert!(
            !out.contains('\x1b') && !out.contains('\r') && !out.contains('\x07'),
            "{out:?}"
        );
        assert!(
            out.contains("sector \\u{1b}]8;;http://evil\\u{7}click"),
            "{out}"
        );
        assert!(out.contains("2 | name: \\u{1b}[2J项\\u{7}X"), "{out}");
        // The mark stays under the character the column names (项, after the escape).
        let marked = out.lines().find(|l| l.contains('^')).unwrap();
        let line = out.lines().find(|l| l.contains("name:")).unwrap();
        let col = |l: &str, c: char| l.char_indices().find(|(_, x)| *x == c).unwrap().0;
        assert_eq!(
            line[..col(line, '项')].chars().count(),
            marked[..col(marked, '^')].chars().count()
        );
    }
}
