//! `sanpi new project|bulletin|page NAME [ROOT]`: a new entry with its front matter filled
//! in (an id from the name, the latest period, today's date) that builds at once.

use crate::model::Date;
use crate::slug::pinyin_slug;
use std::fs;
use std::path::{Path, PathBuf};

/// What to create.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Project,
    Bulletin,
    Page,
}

/// A YAML double-quoted string (JSON's escapes are YAML's).
fn quote(s: &str) -> String {
    serde_json::to_string(s).unwrap_or_else(|_| "\"\"".into())
}

/// A slug of at most 60 characters, cut at a hyphen.
pub fn short_slug(name: &str) -> String {
    let s = pinyin_slug(name);
    if s.len() <= 60 {
        return s;
    }
    let cut = s[..60].rfind('-').unwrap_or(60);
    s[..cut].to_string()
}

/// Today, from the system clock (UTC).
pub fn today() -> Date {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0);
    let dt = chrono::DateTime::from_timestamp(secs as i64, 0).unwrap_or_default();
    Date(dt.date_naive())
}

/// The highest period number of the site, reading periods/*.yaml loosely.
fn latest_period(root: &Path) -> Option<u32> {
    let dir = root.join("content/periods");
    let mut best = None;
    for e in walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
    {
        let Ok(text) = fs::read_to_string(e.path()) else {
            continue;
        };
        for line in text.lines() {
            if let Some(n) = line
                .strip_prefix("number:")
                .and_then(|v| v.trim().parse::<u32>().ok())
            {
                best = best.max(Some(n));
            }
        }
    }
    best
}

/// A path that does not exist yet: `base.md`, else `base-2.md`, `base-3.md`…
fn free_path(dir: &Path, base: &str) -> PathBuf {
    let mut p = dir.join(format!("{base}.md"));
    let mut n = 2;
    while p.exists() {
        p = dir.join(format!("{base}-{n}.md"));
        n += 1;
    }
    p
}

/// Creates the entry; returns the files written, relative to `root`.
pub fn create(root: &Path, kind: Kind, name: &str) -> Result<Vec<PathBuf>, String> {
    let name = name.trim();
    if name.is_empty() {
        return Err("the name is empty".into());
    }
    if !root.join("content/site.yaml").is_file() {
        return Err(format!(
            "{} holds no content/site.yaml: run sanpi new inside a site, or pass its folder",
            root.display()
        ));
    }
    let mut written = Vec::new();
    let period = match latest_period(root) {
        Some(n) => n,
        None => {
            let p = root.join("content/periods/01.yaml");
            fs::create_dir_all(p.parent().expect("a parent")).map_err(|e| e.to_string())?;
            fs::write(&p, "number: 1\ntitle: 第一期“三个一批”项目建设活动\n")
                .map_err(|e| e.to_string())?;
            written.push(PathBuf::from("content/periods/01.yaml"));
            1
        }
    };
    let today = today();
    let (dir, base, text) = match kind {
        Kind::Project => (
            "content/projects",
            short_slug(name),
            format!(
                "---\nname: {}\nbatch: signed          # signed | started | producing\nperiod: {period}              # the period it entered this batch\n# investment: 0          # in the site unit (default 亿元), exact to 100 元\n# sector: \n# owner: \nupdated: {}\n---\n项目简介。\n",
                quote(name),
                today.iso()
            ),
        ),
        Kind::Bulletin => (
            "content/bulletins",
            format!("{}-{}", today.iso(), short_slug(name)),
            format!("---\ntitle: {}\ndate: {}\nperiod: {period}\n# summary: \n---\n正文。\n\n{{{{ chart(name=\"investment-by-batch\") }}}}\n", quote(name), today.iso()),
        ),
        Kind::Page => ("content/pages", short_slug(name), format!("---\ntitle: {}\n---\n正文。\n", quote(name))),
    };
    let folder = root.join(dir);
    fs::create_dir_all(&folder).map_err(|e| format!("cannot create {dir}: {e}"))?;
    let path = free_path(&folder, &base);
    fs::write(&path, text).map_err(|e| format!("cannot write {}: {e}", path.display()))?;
    written.push(path.strip_prefix(root).unwrap_or(&path).to_path_buf());
    Ok(written)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_are_short_and_quotes_safe() {
        assert!(short_slug(&"郑州天健湖生命健康科技园西区项目".repeat(3)).len() <= 60);
        assert_eq!(quote("a\"b:c"), "\"a\\\"b:c\"");
    }
}
