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
    } else if slug.len() > LONGEST {
        // A long name (a hundred characters spell four hundred letters of pinyin) is cut at
        // a hyphen, and a stable hash of the whole name keeps two such names apart.
        // The slug is ASCII: any byte is a boundary.
        let room = LONGEST - 9;
        let cut = slug[..=room].rfind('-').filter(|&i| i > 0).unwrap_or(room);
        let mut h = siphasher::sip::SipHasher13::new_with_keys(0, 0);
        std::hash::Hasher::write(&mut h, name.as_bytes());
        let hash = std::hash::Hasher::finish(&h) as u32;
        format!("{}-{hash:08x}", &slug[..cut])
    } else {
        slug
    }
}

/// The longest slug made from a name: short enough for a file name with any prefix
/// (`sector-`) and for a readable URL.
const LONGEST: usize = 80;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::is_slug;

    #[test]
    fn slugs_are_ascii_and_readable() {
        assert_eq!(pinyin_slug("生命健康"), "sheng-ming-jian-kang");
        assert_eq!(pinyin_slug("5G 通信"), "5g-tong-xin");
        assert_eq!(pinyin_slug("电子信息"), "dian-zi-xin-xi");
        let long = "新".repeat(100);
        let slug = pinyin_slug(&long);
        assert!(slug.len() <= 80 && slug.starts_with("xin-xin-"), "{slug}");
        assert_eq!(slug, pinyin_slug(&long), "stable");
        assert_ne!(slug, pinyin_slug(&format!("{long}材料")), "kept apart");
        for s in [
            "生命健康",
            "北斗应用",
            "ÄÖ",
            "—",
            "a.b",
            &long,
            &"a".repeat(300),
        ] {
            assert!(is_slug(&pinyin_slug(s)), "{s} -> {}", pinyin_slug(s));
        }
    }
}
