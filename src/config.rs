//! `content/site.yaml`: the site's settings.

use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::model::is_slug;
use crate::source::Source;
use crate::yaml::{self, Key};
use serde::Deserialize;
use std::collections::BTreeMap;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawConfig {
    title: String,
    base_url: Option<String>,
    language: Option<String>,
    theme: Option<String>,
    description: Option<String>,
    publisher: Option<String>,
    #[serde(default)]
    publisher_type: PublisherType,
    license: Option<String>,
    oc4ids_prefix: Option<String>,
    unit: Option<String>,
    #[serde(default)]
    sectors: BTreeMap<String, String>,
    #[serde(default)]
    unsafe_html: bool,
    share_images: Option<bool>,
    page_size: Option<i64>,
    #[serde(default)]
    region_levels: Vec<String>,
    portal: Option<crate::portal::RawPortal>,
    extra: Option<yaml::Value>,
}

/// What the publisher is, for structured data: a site claims to be a government body only
/// when it says so.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PublisherType {
    Government,
    News,
    #[default]
    Organization,
}

impl PublisherType {
    /// The schema.org type.
    pub fn schema_type(self) -> &'static str {
        match self {
            PublisherType::Government => "GovernmentOrganization",
            PublisherType::News => "NewsMediaOrganization",
            PublisherType::Organization => "Organization",
        }
    }
}

/// The validated settings of a site.
#[derive(Debug, Clone)]
pub struct Config {
    pub title: String,
    /// Always ends with `/` when present.
    pub base_url: Option<String>,
    pub language: String,
    pub theme: String,
    pub description: Option<String>,
    pub publisher: Option<String>,
    pub publisher_type: PublisherType,
    /// The licence of the site's text, charts and data (`license`).
    pub license: Option<crate::license::License>,
    /// The publisher's registered OC4IDS project identifier prefix (`oc4ids-abc123`).
    pub oc4ids_prefix: Option<String>,
    pub unit: String,
    /// Sector name -> URL slug, as the site chose them.
    pub sectors: BTreeMap<String, String>,
    pub unsafe_html: bool,
    /// Draw a PNG share card per page (needs base_url and a CJK font).
    pub share_images: bool,
    /// Rows per page of a long list (`/projects/`, a batch, period or sector); 0: one page.
    pub page_size: usize,
    /// The names of the regions' levels, from the top (`region_levels`; trimmed, none empty).
    pub region_levels: Vec<String>,
    /// The government portal the site is a column of (`portal`).
    pub portal: Option<crate::portal::Portal>,
    pub extra: serde_json::Value,
}

/// Rows per page of a list when site.yaml does not say: about 60 KB of HTML (8 KB gzipped) for
/// `/projects/`, which a phone loads quickly (README, "Large sites").
pub const DEFAULT_PAGE_SIZE: usize = 100;
/// The largest page size accepted: beyond it a page is as heavy as no pages at all.
const MAX_PAGE_SIZE: i64 = 100_000;

/// Whether `p` has the form of an OC4IDS project identifier prefix: `oc4ids-` and six
/// lowercase ASCII letters or digits.
pub fn is_oc4ids_prefix(p: &str) -> bool {
    p.strip_prefix("oc4ids-").is_some_and(|r| {
        r.len() == 6
            && r.bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
    })
}

/// Checks a base URL and gives it its trailing slash.
pub fn normalize_base_url(url: &str) -> Result<String, String> {
    let u = url.trim();
    let rest = u
        .strip_prefix("https://")
        .or_else(|| u.strip_prefix("http://"))
        .ok_or_else(|| {
            format!("`{url}` is not an http(s) address, such as https://example.gov.cn/sanpi/")
        })?;
    let host = rest.split('/').next().unwrap_or("");
    if let Some((credentials, after)) = host.rsplit_once('@') {
        // Shown without the secret: the message may end up in a CI log.
        let scheme = &u[..u.len() - rest.len()];
        let user = credentials.split(':').next().unwrap_or("");
        let path = &rest[host.len()..];
        return Err(format!(
            "`{scheme}{user}:…@{after}{path}` carries a user name or password, which every page, feed and data file would publish: write scheme, host and path only, such as https://example.gov.cn/sanpi/"
        ));
    }
    let bad = |c: char| c.is_whitespace() || c.is_control() || "\"'<>\\`{}|^".contains(c);
    if host.is_empty() || u.chars().any(bad) || u.contains('?') || u.contains('#') {
        return Err(format!(
            "`{url}` is not a usable base address: write scheme, host and path only, such as https://example.gov.cn/sanpi/"
        ));
    }
    Ok(if u.ends_with('/') {
        u.to_string()
    } else {
        format!("{u}/")
    })
}

/// Reads site.yaml; `base_url` from the command line wins over the file's.
pub fn parse(
    src: &Source,
    base_url_override: Option<&str>,
    diags: &mut Diagnostics,
) -> Option<Config> {
    let raw: RawConfig = match yaml::parse(&src.text) {
        Ok(r) => r,
        Err(e) => {
            diags.push(e.placed(&src.rel, |p| p, None));
            return None;
        }
    };
    let at = |key: &str| yaml::locate(&src.text, &[Key::Field(key)]);
    let mut ok = true;
    if raw.title.trim().is_empty() {
        diags.push(Diagnostic::error(
            &src.rel,
            at("title"),
            "`title` is empty: give the site a title",
        ));
        ok = false;
    }
    let base_url = match base_url_override.map(str::to_string).or(raw.base_url) {
        None => None,
        Some(u) => match normalize_base_url(&u) {
            Ok(u) => Some(u),
            Err(m) => {
                let (path, pos) = if base_url_override.is_some() {
                    (String::new(), None)
                } else {
                    (src.rel.clone(), at("base_url"))
                };
                diags.push(Diagnostic::error(path, pos, format!("base_url: {m}")));
                ok = false;
                None
            }
        },
    };
    for (name, slug) in &raw.sectors {
        if !is_slug(slug) {
            let pos = yaml::locate(&src.text, &[Key::Field("sectors"), Key::Field(name)]);
            diags.push(
                Diagnostic::error(
                    &src.rel,
                    pos,
                    format!("the slug `{slug}` of sector {name} is not a URL slug"),
                )
                .with_hint(
                    "use lowercase ASCII letters, digits and hyphens, such as new-materials",
                ),
            );
            ok = false;
        }
    }
    let page_size = match raw.page_size {
        None => DEFAULT_PAGE_SIZE,
        Some(n @ 0..=MAX_PAGE_SIZE) => usize::try_from(n).unwrap_or(DEFAULT_PAGE_SIZE),
        Some(n) => {
            diags.push(
                Diagnostic::error(
                    &src.rel,
                    at("page_size"),
                    format!("`page_size: {n}` is not a number of rows per page"),
                )
                .with_hint(format!(
                    "write a whole number from 1 to {MAX_PAGE_SIZE}, such as {DEFAULT_PAGE_SIZE}, or 0 to show each list on one page"
                )),
            );
            ok = false;
            DEFAULT_PAGE_SIZE
        }
    };
    let region_levels: Vec<String> = raw
        .region_levels
        .iter()
        .map(|l| l.trim().to_string())
        .collect();
    for (i, _) in region_levels
        .iter()
        .enumerate()
        .filter(|(_, l)| l.is_empty())
    {
        let pos = yaml::locate(&src.text, &[Key::Field("region_levels"), Key::Index(i)]);
        diags.push(
            Diagnostic::error(&src.rel, pos, "a level of `region_levels` has no name")
                .with_hint("name the levels from the top, such as [省辖市, 县（市、区）]"),
        );
        ok = false;
    }
    let license = match raw.license.as_deref().map(crate::license::License::parse) {
        None => None,
        Some(Ok(l)) => Some(l),
        Some(Err((message, hint))) => {
            diags.push(Diagnostic::error(&src.rel, at("license"), message).with_hint(hint));
            ok = false;
            None
        }
    };
    let oc4ids_prefix = raw.oc4ids_prefix.map(|p| p.trim().to_string());
    if let Some(p) = oc4ids_prefix.as_deref().filter(|p| !is_oc4ids_prefix(p)) {
        diags.push(
            Diagnostic::error(
                &src.rel,
                at("oc4ids_prefix"),
                format!("`oc4ids_prefix: {p}` is not an OC4IDS project identifier prefix"),
            )
            .with_hint("a prefix is `oc4ids-` and six lowercase letters or digits, such as oc4ids-bu3kcz, as the Open Contracting Partnership registered it for the publisher"),
        );
        ok = false;
    }
    let portal = match raw.portal.map(crate::portal::Portal::check) {
        None => None,
        Some(Ok(p)) => Some(p),
        Some(Err(mistakes)) => {
            for m in mistakes {
                let pos = yaml::locate(&src.text, &[Key::Field("portal"), Key::Field(m.key)]);
                diags.push(Diagnostic::error(&src.rel, pos, m.message).with_hint(m.hint));
            }
            ok = false;
            None
        }
    };
    let theme = raw.theme.unwrap_or_else(|| "default".into());
    if !is_slug(&theme)
        && !theme
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
    {
        diags.push(Diagnostic::error(
            &src.rel,
            at("theme"),
            format!("`{theme}` is not a theme folder name"),
        ));
        ok = false;
    }
    ok.then(|| Config {
        title: raw.title.trim().to_string(),
        base_url,
        language: raw.language.unwrap_or_else(|| "zh-CN".into()),
        theme,
        description: raw.description,
        publisher: raw.publisher,
        publisher_type: raw.publisher_type,
        license,
        oc4ids_prefix,
        unit: raw.unit.unwrap_or_else(|| "亿元".into()),
        sectors: raw.sectors,
        unsafe_html: raw.unsafe_html,
        share_images: raw.share_images.unwrap_or(true),
        page_size,
        region_levels,
        portal,
        extra: raw
            .extra
            .as_ref()
            .map(yaml::to_json)
            .unwrap_or(serde_json::Value::Null),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn src(text: &str) -> Source {
        Source {
            rel: "content/site.yaml".into(),
            text: text.into(),
        }
    }

    #[test]
    fn defaults() {
        let mut d = Diagnostics::new();
        let c = parse(&src("title: T\n"), None, &mut d).unwrap();
        assert_eq!(
            (c.language.as_str(), c.unit.as_str(), c.theme.as_str()),
            ("zh-CN", "亿元", "default")
        );
        assert!(c.base_url.is_none() && !c.unsafe_html);
    }

    #[test]
    fn base_url_gets_a_slash_and_is_checked() {
        assert_eq!(
            normalize_base_url("https://a.b/x").unwrap(),
            "https://a.b/x/"
        );
        assert!(normalize_base_url("ftp://a.b/").is_err());
        assert!(normalize_base_url("https://a.b/\"><script>").is_err());
        for bad in [
            "https://user:s3cret@example.org/x/",
            "https://user@example.org/",
            "http://:pw@example.org",
            "https://example.org/x/?utm=1",
            "https://example.org/x/#top",
            "https://example.org/\u{1b}[2J/",
        ] {
            let e = normalize_base_url(bad).unwrap_err();
            assert!(!e.contains("s3cret") && !e.contains("pw@"), "{e}");
        }
        assert!(normalize_base_url("https://user:s3cret@example.org/x/")
            .unwrap_err()
            .contains("`https://user:…@example.org/x/` carries a user name or password"));
        // An @ in the path is no credential.
        assert!(normalize_base_url("https://example.org/@team/").is_ok());
        let mut d = Diagnostics::new();
        let c = parse(
            &src("title: T\nbase_url: https://a.b/\n"),
            Some("https://c.d/e"),
            &mut d,
        )
        .unwrap();
        assert_eq!(c.base_url.as_deref(), Some("https://c.d/e/"));
    }

    #[test]
    fn page_size_is_checked_and_located() {
        let mut d = Diagnostics::new();
        let c = parse(&src("title: T\n"), None, &mut d).unwrap();
        assert_eq!(c.page_size, DEFAULT_PAGE_SIZE);
        let c = parse(&src("title: T\npage_size: 0\n"), None, &mut d).unwrap();
        assert_eq!(c.page_size, 0);
        assert!(parse(&src("title: T\npage_size: -3\n"), None, &mut d).is_none());
        let e = d.sorted().remove(0);
        assert_eq!(e.pos.map(|p| (p.line, p.col)), Some((2, 12)));
        let mut d = Diagnostics::new();
        assert!(parse(&src("title: T\npage_size: many\n"), None, &mut d).is_none());
        assert_eq!(d.sorted().remove(0).pos.map(|p| p.line), Some(2));
    }

    #[test]
    fn a_license_is_checked_and_located() {
        let mut d = Diagnostics::new();
        let c = parse(&src("title: T\nlicense: CC-BY-4.0\n"), None, &mut d).unwrap();
        assert_eq!(c.license.unwrap().name, "CC-BY-4.0");
        let mut d = Diagnostics::new();
        assert!(parse(&src("title: T\nlicense: CC BY 4.0\n"), None, &mut d).is_none());
        let e = d.sorted().remove(0);
        assert_eq!(e.pos.map(|p| (p.line, p.col)), Some((2, 10)));
        assert!(e.message.contains("SPDX"), "{}", e.message);
    }

    #[test]
    fn an_oc4ids_prefix_is_checked_and_located() {
        let mut d = Diagnostics::new();
        let c = parse(
            &src("title: T\noc4ids_prefix: oc4ids-bu3kcz\n"),
            None,
            &mut d,
        )
        .unwrap();
        assert_eq!(c.oc4ids_prefix.as_deref(), Some("oc4ids-bu3kcz"));
        for bad in [
            "OC4IDS-BU3KCZ",
            "oc4ids-bu3kc",
            "oc4ids-bu3kcz1",
            "ocds-213czf",
            "oc4ids-bu3_cz",
        ] {
            let mut d = Diagnostics::new();
            let text = format!("title: T\noc4ids_prefix: {bad}\n");
            assert!(parse(&src(&text), None, &mut d).is_none(), "{bad}");
            let e = d.sorted().remove(0);
            assert_eq!(e.pos.map(|p| (p.line, p.col)), Some((2, 16)), "{bad}");
        }
    }

    #[test]
    fn a_portal_is_read_and_its_mistakes_located() {
        let mut d = Diagnostics::new();
        let text = "title: T\nportal:\n  site_name: 郑州市人民政府\n  site_id_code: 4101000001\n  icp: 豫ICP备12345678号\n";
        let c = parse(&src(text), None, &mut d).unwrap();
        let p = c.portal.unwrap();
        assert_eq!(p.site_id_code.as_deref(), Some("4101000001"));
        assert_eq!(p.icp.as_deref(), Some("豫ICP备12345678号"));
        assert!(parse(&src("title: T\n"), None, &mut d)
            .unwrap()
            .portal
            .is_none());
        // Letters in the code: an error at the value.
        let mut d = Diagnostics::new();
        let text = "title: T\nportal:\n  site_name: 郑州\n  site_id_code: 41010O0001\n";
        assert!(parse(&src(text), None, &mut d).is_none());
        let e = d.sorted().remove(0);
        assert_eq!(e.pos.map(|p| (p.line, p.col)), Some((4, 17)));
        assert!(e.message.contains("政府网站标识码"), "{}", e.message);
        assert!(e.hint.unwrap().contains("digits only"));
        // An unknown key: an error at the key, with the key it resembles.
        let mut d = Diagnostics::new();
        let text = "title: T\nportal:\n  site_name: 郑州\n  sponser: 郑州市人民政府办公厅\n";
        assert!(parse(&src(text), None, &mut d).is_none());
        let e = d.sorted().remove(0);
        assert_eq!(e.pos.map(|p| (p.line, p.col)), Some((4, 3)));
        assert!(e.message.contains("unknown key `sponser`"), "{}", e.message);
        assert!(e.hint.unwrap().contains("sponsor"));
    }

    #[test]
    fn bad_sector_slug_is_located() {
        let mut d = Diagnostics::new();
        assert!(parse(&src("title: T\nsectors:\n  新材料: 新材料\n"), None, &mut d).is_none());
        let e = d.sorted().remove(0);
        assert_eq!(e.pos.map(|p| p.line), Some(3));
    }
}
