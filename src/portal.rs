//! A site published as a column (专栏) of a government portal (`portal:` in site.yaml): the
//! portal's names and numbers that its pages' metadata and footer carry.

use serde::{Deserialize, Serialize};

/// `portal:` as written; every key is optional text.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawPortal {
    site_name: Option<String>,
    site_domain: Option<String>,
    site_id_code: Option<String>,
    column: Option<String>,
    icp: Option<String>,
    police: Option<String>,
    sponsor: Option<String>,
    organizer: Option<String>,
    contact: Option<String>,
}

/// The portal a site belongs to, with every value trimmed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Portal {
    /// The portal's name (`SiteName`).
    pub site_name: Option<String>,
    /// The portal's domain (`SiteDomain`), such as www.zhengzhou.gov.cn.
    pub site_domain: Option<String>,
    /// 政府网站标识码 (`SiteIDCode`): digits only.
    pub site_id_code: Option<String>,
    /// 栏目名称 (`ColumnName`).
    pub column: Option<String>,
    /// ICP备案号, such as 豫ICP备12345678号.
    pub icp: Option<String>,
    /// 公安机关备案号, such as 豫公网安备41010002000001号.
    pub police: Option<String>,
    /// 主办单位.
    pub sponsor: Option<String>,
    /// 承办单位.
    pub organizer: Option<String>,
    /// 联系方式.
    pub contact: Option<String>,
}

/// A mistake in `portal:`: the key it is at, a message and a hint.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mistake {
    pub key: &'static str,
    pub message: String,
    pub hint: String,
}

impl Portal {
    /// The validated portal, or every mistake in it.
    pub fn check(raw: RawPortal) -> Result<Portal, Vec<Mistake>> {
        let mut mistakes = Vec::new();
        let mut take = |key: &'static str, value: Option<String>| {
            let v = value.map(|v| v.trim().to_string());
            if v.as_deref() == Some("") {
                mistakes.push(Mistake {
                    key,
                    message: format!("`portal.{key}` is empty"),
                    hint: "write its value, or remove the key".into(),
                });
                return None;
            }
            v
        };
        let portal = Portal {
            site_name: take("site_name", raw.site_name),
            site_domain: take("site_domain", raw.site_domain),
            site_id_code: take("site_id_code", raw.site_id_code),
            column: take("column", raw.column),
            icp: take("icp", raw.icp),
            police: take("police", raw.police),
            sponsor: take("sponsor", raw.sponsor),
            organizer: take("organizer", raw.organizer),
            contact: take("contact", raw.contact),
        };
        if let Some(code) = &portal.site_id_code {
            if !code.bytes().all(|b| b.is_ascii_digit()) {
                mistakes.push(Mistake {
                    key: "site_id_code",
                    message: format!(
                        "`portal.site_id_code: {code}` is not a 政府网站标识码: it holds more than digits"
                    ),
                    hint: "write the code of the portal's record in the 全国政府网站基本信息数据库, digits only, such as 4101000001".into(),
                });
            }
        }
        let domain = portal.site_domain.as_deref().unwrap_or("");
        if domain.contains("://") || domain.contains('/') || domain.chars().any(char::is_whitespace)
        {
            mistakes.push(Mistake {
                key: "site_domain",
                message: format!("`portal.site_domain: {domain}` is not a domain name"),
                hint: "write the host name alone, without scheme or path, such as www.zhengzhou.gov.cn".into(),
            });
        }
        if mistakes.is_empty() {
            Ok(portal)
        } else {
            Err(mistakes)
        }
    }

    /// The number of a 公安机关备案号 (its digits), by which the public security filing site
    /// finds the record; None when it holds no digits.
    pub fn police_code(&self) -> Option<String> {
        let digits: String = self
            .police
            .as_deref()?
            .chars()
            .filter(char::is_ascii_digit)
            .collect();
        (!digits.is_empty()).then_some(digits)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn raw(code: Option<&str>, domain: Option<&str>) -> RawPortal {
        RawPortal {
            site_id_code: code.map(str::to_string),
            site_domain: domain.map(str::to_string),
            police: Some(" 豫公网安备 41010002000001号 ".into()),
            ..RawPortal::default()
        }
    }

    #[test]
    fn values_are_trimmed_and_the_code_is_digits() {
        let p = Portal::check(raw(Some("4101000001"), Some("www.zz.gov.cn"))).unwrap();
        assert_eq!(p.site_id_code.as_deref(), Some("4101000001"));
        assert_eq!(p.police.as_deref(), Some("豫公网安备 41010002000001号"));
        assert_eq!(p.police_code().as_deref(), Some("41010002000001"));
        let m = Portal::check(raw(Some("41010O0001"), None)).unwrap_err();
        assert_eq!(m.len(), 1);
        assert_eq!(m[0].key, "site_id_code");
        assert!(m[0].message.contains("41010O0001"), "{}", m[0].message);
    }

    #[test]
    fn empty_values_and_urls_as_domains_are_mistakes() {
        let m = Portal::check(raw(Some(" "), Some("https://www.zz.gov.cn/"))).unwrap_err();
        let keys: Vec<_> = m.iter().map(|m| m.key).collect();
        assert_eq!(keys, ["site_id_code", "site_domain"]);
    }
}
