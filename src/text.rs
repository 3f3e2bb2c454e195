//! Facts about characters that several layers need: which scripts are written without
//! spaces between words, and full-width forms as their half-width selves.

/// Whether `c` belongs to a script written without spaces between words (Chinese, Japanese,
/// their punctuation and full-width forms).
pub(crate) fn is_cjk(c: char) -> bool {
    matches!(c as u32,
        0x2E80..=0x2FDF | 0x3000..=0x303F | 0x3040..=0x30FF | 0x3100..=0x312F | 0x31A0..=0x31BF
        | 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF | 0xFE30..=0xFE4F | 0xFF00..=0xFFEF
        | 0x20000..=0x2FA1F)
}

/// Full-width ASCII forms (`０-９`, `．`, `（`, `Ａ`…) and the ideographic space as their
/// half-width selves.
pub fn half_width(s: &str) -> String {
    s.chars()
        .map(|c| match c {
            '\u{3000}' => ' ',
            '\u{ff01}'..='\u{ff5e}' => char::from_u32(c as u32 - 0xfee0).unwrap_or(c),
            _ => c,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chinese_and_full_width_forms_are_cjk() {
        assert!("项目，（）ＡＢ１".chars().all(is_cjk));
        assert!(!"abc 1.5 -".chars().any(is_cjk));
    }
}
