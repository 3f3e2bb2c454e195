//! Lines of a card's text: where a line may break, and how text is cut to a width.

use crate::charts::svg::text_width;

/// Words that follow a number as its measure, longest first: a line never breaks between a
/// number and them (`12个项目`, `228.35亿元`).
const MEASURES: &[&str] = &[
    "个项目",
    "平方米",
    "千瓦",
    "兆瓦",
    "亿元",
    "万元",
    "千元",
    "个",
    "项",
    "家",
    "亿",
    "万",
    "元",
    "期",
    "批",
    "年",
    "月",
    "日",
    "号",
    "天",
    "次",
    "人",
    "名",
    "座",
    "米",
    "亩",
    "吨",
    "%",
    "％",
];
/// Chinese numerals, as in 第十二期.
const NUMERALS: &str = "零一二三四五六七八九十百千两";
/// Punctuation that never starts a line, and that never ends one.
const NO_START: &str = "，。、；：！？）》」』”’…·,.;:!?)]%％";
const NO_END: &str = "（《「『“‘([";

/// `text` cut into the pieces a line may break between: a CJK character, a Latin word, a
/// number with its measure word (`12个项目`, `第七期`), each with the punctuation that may not
/// be parted from it.
fn pieces(text: &str) -> Vec<String> {
    let chars: Vec<char> = text.chars().collect();
    let mut out: Vec<String> = Vec::new();
    let mut i = 0;
    let mut open = String::new();
    while i < chars.len() {
        let c = chars[i];
        if NO_END.contains(c) {
            open.push(c);
            i += 1;
            continue;
        }
        let start = i;
        let digit_run = |i: &mut usize| {
            let from = *i;
            while *i < chars.len() {
                let c = chars[*i];
                let next_alnum = chars.get(*i + 1).is_some_and(|n| n.is_ascii_alphanumeric());
                let inner = matches!(c, '.' | ',' | '-' | '/' | '\'') && *i > from && next_alnum;
                if c.is_ascii_alphanumeric() || c.is_numeric() && !NUMERALS.contains(c) || inner {
                    *i += 1;
                } else {
                    break;
                }
            }
        };
        let mut number = false;
        if c == '第'
            && chars
                .get(i + 1)
                .is_some_and(|n| NUMERALS.contains(*n) || n.is_ascii_digit())
        {
            i += 1;
            while i < chars.len() && (NUMERALS.contains(chars[i]) || chars[i].is_ascii_digit()) {
                i += 1;
            }
            number = true;
        } else if c.is_ascii_alphanumeric() || c.is_numeric() && !NUMERALS.contains(c) {
            digit_run(&mut i);
            number = chars[i - 1].is_numeric();
        } else {
            i += 1;
        }
        if number {
            let rest: String = chars[i..].iter().take(3).collect();
            if let Some(m) = MEASURES.iter().find(|m| rest.starts_with(**m)) {
                i += m.chars().count();
            }
        }
        while i < chars.len() && NO_START.contains(chars[i]) {
            i += 1;
        }
        let mut piece = std::mem::take(&mut open);
        piece.extend(&chars[start..i]);
        out.push(piece);
    }
    if !open.is_empty() {
        out.push(open);
    }
    out
}

/// Cuts `text` into at most `lines` lines of `width` pixels at `size`, the last one ending
/// with an ellipsis when text is left over. Lines break between [`pieces`], never inside a
/// number and its measure word; a piece longer than a line is cut where it must.
pub(super) fn wrap(text: &str, width: f64, size: f64, lines: usize) -> Vec<String> {
    let fits = |s: &str| text_width(s, size) <= width;
    // The last line with an ellipsis that fits after it.
    let ellipsis = |mut last: String| {
        while !last.is_empty() && !fits(&format!("{last}…")) {
            last.pop();
        }
        format!("{}…", last.trim_end())
    };
    let mut out: Vec<String> = vec![String::new()];
    for piece in pieces(text) {
        let line = out.pop().unwrap_or_default();
        if fits(&format!("{line}{piece}")) {
            out.push(line + &piece);
            continue;
        }
        let piece = if line.trim().is_empty() {
            out.push(line);
            piece
        } else if out.len() + 1 == lines {
            out.push(ellipsis(line));
            return out;
        } else {
            out.push(line);
            out.push(String::new());
            piece.trim_start().to_string()
        };
        // A piece longer than a line: cut where it must, character by character.
        for c in piece.chars() {
            let mut line = out.pop().unwrap_or_default();
            if !line.is_empty() && !fits(&format!("{line}{c}")) {
                if out.len() + 1 == lines {
                    out.push(ellipsis(line));
                    return out;
                }
                out.push(line);
                line = String::new();
            }
            line.push(c);
            out.push(line);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_titles_wrap_to_two_lines() {
        let lines = wrap(&"很长的标题".repeat(20), 1072.0, 54.0, 2);
        assert_eq!(lines.len(), 2);
        assert!(lines[1].ends_with('…'));
        assert_eq!(wrap("短标题", 1072.0, 54.0, 2), vec!["短标题".to_string()]);
    }

    /// A line never breaks between a number and its measure word, nor inside a number or
    /// a Latin word, nor before closing punctuation, at any width.
    #[test]
    fn lines_never_break_inside_a_number_and_its_measure_word() {
        let text = "第十二期通报：本期新增12个项目，总投资228.35亿元，MEMS传感器（二期）开工";
        let whole = ["第十二期", "12个项目，", "228.35亿元，", "MEMS", "（二"];
        for w in 4..40 {
            let width = w as f64 * 30.0;
            let lines = wrap(text, width, 30.0, 20);
            assert_eq!(lines.concat(), text, "nothing lost at {w}");
            for piece in whole {
                if text_width(piece, 30.0) <= width {
                    assert!(
                        lines.iter().any(|l| l.contains(piece)),
                        "{piece} split at {w}: {lines:?}"
                    );
                }
            }
            // Only a piece wider than a line is cut, and then anywhere.
            let all_fit = whole.iter().all(|p| text_width(p, 30.0) <= width);
            for l in &lines {
                assert!(text_width(l, 30.0) <= width, "{l} too wide at {w}");
                assert!(!all_fit || !l.starts_with(['，', '）', '。']), "{l} at {w}");
            }
        }
        // The case of issue 15: the break falls before 个项目 without the rule.
        let title = "第七期全区新签约12个项目";
        let lines = wrap(title, text_width("第七期全区新签约12", 54.0), 54.0, 2);
        assert_eq!(lines, vec!["第七期全区新签约", "12个项目"]);
        // Cut short: an ellipsis, never half a number.
        let lines = wrap(title, text_width("第七期全区新签约12", 54.0), 54.0, 1);
        assert_eq!(lines, vec!["第七期全区新签约…"]);
    }
}
