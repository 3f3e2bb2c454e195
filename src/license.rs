//! The site's licence (`license` in site.yaml): an SPDX identifier, checked against the SPDX
//! list (the `spdx` crate, used nowhere else), or the URL of a licence that list lacks.

use serde::Serialize;

/// A licence as pages, feeds and data files name it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct License {
    /// The SPDX identifier (`CC-BY-4.0`); None for a licence given by its URL.
    pub id: Option<String>,
    /// What a reader is shown: the identifier, else the URL.
    pub name: String,
    /// The licence's full name on the SPDX list, when it is on it.
    pub title: Option<String>,
    /// Where its text is.
    pub url: String,
}

impl License {
    /// `text` as a licence, or a message and a hint saying what is wrong.
    pub fn parse(text: &str) -> Result<License, (String, String)> {
        let t = text.trim();
        if t.starts_with("https://") || t.starts_with("http://") {
            let rest = t.split_once("://").map_or("", |(_, r)| r);
            let host = rest.split(['/', '?', '#']).next().unwrap_or("");
            if host.is_empty() || host.contains('@') || t.chars().any(char::is_whitespace) {
                return Err((
                    format!("`license: {t}` is not a usable URL"),
                    "give the licence's address, such as https://creativecommons.org/licenses/by/4.0/".into(),
                ));
            }
            return Ok(License {
                id: None,
                name: t.to_string(),
                title: None,
                url: t.to_string(),
            });
        }
        match spdx::license_id(t).filter(|l| l.name == t) {
            Some(l) => Ok(License {
                id: Some(l.name.to_string()),
                name: l.name.to_string(),
                title: Some(l.full_name.to_string()),
                url: format!("https://spdx.org/licenses/{}.html", l.name),
            }),
            None => {
                let hint = match spdx::imprecise_license_id(t).map(|(l, _)| l.name) {
                    Some(near) if near != t => format!(
                        "did you mean `{near}`? Write an SPDX identifier exactly (https://spdx.org/licenses/), or the licence's URL"
                    ),
                    _ => "write an SPDX identifier such as CC-BY-4.0, CC0-1.0 or ODC-By-1.0 (https://spdx.org/licenses/), or the licence's URL".into(),
                };
                Err((
                    format!("`license: {t}` is neither an SPDX licence identifier nor a URL"),
                    hint,
                ))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spdx_identifiers_and_urls_are_licences() {
        let l = License::parse("CC-BY-4.0").unwrap();
        assert_eq!(l.id.as_deref(), Some("CC-BY-4.0"));
        assert_eq!(l.url, "https://spdx.org/licenses/CC-BY-4.0.html");
        assert!(l.title.unwrap().contains("Attribution 4.0"));
        assert!(License::parse("ODC-By-1.0").is_ok() && License::parse("CC0-1.0").is_ok());
        let u = License::parse("https://data.example.gov.cn/licence").unwrap();
        assert_eq!(
            (u.id, u.url.as_str()),
            (None, "https://data.example.gov.cn/licence")
        );
    }

    #[test]
    fn anything_else_is_refused_with_a_hint() {
        for bad in [
            "CC BY",
            "cc-by-4.0",
            "MIT+",
            "公开",
            "http://",
            "https://a b",
            "GPL-2.0+",
        ] {
            assert!(License::parse(bad).is_err(), "{bad}");
        }
        let (_, hint) = License::parse("cc-by-4.0").unwrap_err();
        assert!(hint.contains("CC-BY-4.0"), "{hint}");
    }
}
