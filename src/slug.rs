//! URL slugs made from Chinese names, through pinyin.

use pinyin::ToPinyin;

/// An ASCII slug for `name`: pinyin syllables and ASCII words joined by hyphens.
/// `生命健康` becomes `sheng-ming-jian-kang`, `5G 通信` becomes `5g-tong-xin`.
pub(crate) fn pinyin_slug(name: &str) -> String {
    let mut words: Vec<String> = Vec::new();
    let mut ascii = String::new();
    for (c, py) in name.chars().zip(name.to_pinyin()) {
        if c.is_ascii_alphanumeric() {
            ascii.push(c.to_ascii_lowercase());
            continue;
        }
        if !ascii.is_empty() {
            words.push(std::mem::take(&mut ascii));
        }
        if let Some(p) = py {
            words.push(p.plain().to_string());
        }
    }
    if !ascii.is_empty() {
        words.push(ascii);
    }
    let slug = words.join("-");
    if slug.is_empty() {
        // A name with neither Chinese nor ASCII letters: a stable hex form of its bytes.
        let hex: String = name.bytes().take(16).map(|b| format!("{b:02x}")).collect();
        format!("s-{hex}")
    } else {
        slug
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::is_slug;

    #[test]
    fn slugs_are_ascii_and_readable() {
        assert_eq!(pinyin_slug("生命健康"), "sheng-ming-jian-kang");
        assert_eq!(pinyin_slug("5G 通信"), "5g-tong-xin");
        assert_eq!(pinyin_slug("电子信息"), "dian-zi-xin-xi");
        for s in ["生命健康", "北斗应用", "ÄÖ", "—", "a.b"] {
            assert!(is_slug(&pinyin_slug(s)), "{s} -> {}", pinyin_slug(s));
        }
    }
}
