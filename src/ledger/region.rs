//! A ledger's region cell (and `--region`) read against content/regions.yaml: a region's
//! path (`dongchuan/linhe`), its names from the top joined by `/` (`东川市/临河县`), or the
//! names of its last levels (`临河县`) when they name one region only.

use super::value::squeeze;
use crate::content::regions::{self, Regions};
use std::collections::HashMap;

/// The regions of a site, indexed for reading cells.
pub struct Resolver<'a> {
    tree: &'a Regions,
    by_path: HashMap<String, usize>,
    /// Each region's names from the top (compared as [`key`] makes them), by region.
    names: Vec<Vec<String>>,
}

/// Why a text names no region: the message, and a hint when one helps.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unknown {
    pub message: String,
    pub hint: Option<String>,
}

/// A name or slug as compared: no spaces, full-width forms as half-width, lowercase.
fn key(s: &str) -> String {
    squeeze(s).to_lowercase()
}

/// The segments of a text split at `/` (full-width `／` too), each compared as [`key`]
/// makes it, without empty ones at the ends (`/dongchuan/` is `dongchuan`).
fn segments(text: &str) -> Vec<String> {
    let t = key(text);
    t.trim_matches('/').split('/').map(str::to_string).collect()
}

impl<'a> Resolver<'a> {
    pub fn new(tree: &'a Regions) -> Resolver<'a> {
        let by_path = tree
            .list
            .iter()
            .enumerate()
            .map(|(i, r)| (r.path.clone(), i))
            .collect();
        let names = (0..tree.list.len())
            .map(|i| {
                tree.lineage(i)
                    .iter()
                    .map(|&j| key(&tree.list[j].name))
                    .collect()
            })
            .collect();
        Resolver {
            tree,
            by_path,
            names,
        }
    }

    /// The region `text` names (trimmed, not blank): its index in the tree.
    pub fn resolve(&self, text: &str) -> Result<usize, Unknown> {
        let shown = text.trim();
        let segs = segments(text);
        if let Some(&i) = self.by_path.get(&segs.join("/")) {
            return Ok(i);
        }
        // Names from the top, else the names of the last levels (a name alone among them).
        if let Some(i) = self.names.iter().position(|n| *n == segs) {
            return Ok(i);
        }
        let whole = key(text);
        let hits: Vec<usize> = (0..self.names.len())
            .filter(|&i| {
                let n = &self.names[i];
                n.ends_with(&segs) || n.last() == Some(&whole)
            })
            .collect();
        match hits[..] {
            [i] => Ok(i),
            [] => Err(Unknown {
                message: format!("there is no region {shown} in {}", regions::PATH),
                hint: self.suggest(text),
            }),
            _ => {
                let paths: Vec<&str> = hits
                    .iter()
                    .map(|&i| self.tree.list[i].path.as_str())
                    .collect();
                Err(Unknown {
                    message: format!(
                        "{shown} names {} regions of {} ({})",
                        hits.len(),
                        regions::PATH,
                        paths.join(", ")
                    ),
                    hint: Some(format!(
                        "write its names from the top, such as {}, or its path",
                        self.names_of(hits[0])
                    )),
                })
            }
        }
    }

    /// The region a row's region cells name, left to right (`东川市` in 省辖市, then `临河县`
    /// in 县（市、区）): their texts as names from the top, else the last alone, which must
    /// then be within the region each earlier cell names. An error is the last cell's.
    pub fn resolve_cells(&self, texts: &[&str]) -> Result<usize, Unknown> {
        let [earlier @ .., last] = texts else {
            return Err(Unknown {
                message: "no region is given".into(),
                hint: None,
            });
        };
        if earlier.is_empty() {
            return self.resolve(last);
        }
        if let Ok(i) = self.resolve(&texts.join("/")) {
            return Ok(i);
        }
        let i = self.resolve(last)?;
        for e in earlier {
            match self.resolve(e) {
                Ok(a) if self.tree.within(i, a) => {}
                _ => {
                    return Err(Unknown {
                        message: format!(
                            "{} ({}) is not in {}, which the row's other region cell names",
                            last.trim(),
                            self.tree.list[i].path,
                            e.trim()
                        ),
                        hint: None,
                    })
                }
            }
        }
        Ok(i)
    }

    /// A region's path.
    pub fn path(&self, i: usize) -> &'a str {
        &self.tree.list[i].path
    }

    /// A region's names from the top, joined by `/` (东川市/临河县).
    pub fn names_of(&self, i: usize) -> String {
        self.tree
            .lineage(i)
            .iter()
            .map(|&j| self.tree.list[j].name.as_str())
            .collect::<Vec<_>>()
            .join("/")
    }

    /// A hint for an unknown region: the regions whose name holds the text's last segment
    /// (临河 for 临河县), else the closest path or names.
    fn suggest(&self, text: &str) -> Option<String> {
        let segs = segments(text);
        let last = segs.last().cloned().unwrap_or_default();
        let shown = |i: usize| format!("{} ({})", self.names_of(i), self.tree.list[i].path);
        let holding: Vec<String> = (0..self.names.len())
            .filter(|&i| {
                !last.is_empty() && self.names[i].last().is_some_and(|n| n.contains(&last))
            })
            .take(3)
            .map(shown)
            .collect();
        if !holding.is_empty() {
            return Some(format!("did you mean {}?", holding.join(" or ")));
        }
        let joined: Vec<String> = self.names.iter().map(|n| n.join("/")).collect();
        let whole = segs.join("/");
        let candidates = self
            .tree
            .list
            .iter()
            .map(|r| r.path.as_str())
            .chain(joined.iter().map(String::as_str));
        let near = crate::diagnostics::did_you_mean(&whole, candidates)?;
        let i = self
            .by_path
            .get(near)
            .copied()
            .or_else(|| joined.iter().position(|j| j == near))?;
        Some(format!("did you mean {}?", shown(i)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tree() -> Regions {
        let text = "- name: 东川市\n  slug: dongchuan\n  regions:\n    - { name: 临河县, slug: linhe }\n    - { name: 东川高新区, slug: gaoxin }\n- name: 西岭市\n  slug: xiling\n  regions:\n    - { name: 临河县, slug: linhe }\n    - { name: 石门县, slug: shimen }\n";
        Regions::parse(&crate::source::decode(text.as_bytes().to_vec(), regions::PATH).unwrap())
            .unwrap()
    }

    #[test]
    fn paths_names_from_the_top_and_a_name_alone() {
        let t = tree();
        let r = Resolver::new(&t);
        let path = |s: &str| r.resolve(s).map(|i| t.list[i].path.clone());
        assert_eq!(path("dongchuan/linhe").unwrap(), "dongchuan/linhe");
        assert_eq!(path(" /xiling/ ").unwrap(), "xiling");
        assert_eq!(path("东川市/临河县").unwrap(), "dongchuan/linhe");
        assert_eq!(path("西岭市 ／ 临河县").unwrap(), "xiling/linhe");
        assert_eq!(path("石门县").unwrap(), "xiling/shimen");
        assert_eq!(path("东川市").unwrap(), "dongchuan");
        assert_eq!(path("DongChuan/GaoXin").unwrap(), "dongchuan/gaoxin");
        assert_eq!(r.names_of(1), "东川市/临河县");
    }

    #[test]
    fn a_name_two_regions_share_and_an_unknown_one() {
        let t = tree();
        let r = Resolver::new(&t);
        let e = r.resolve("临河县").unwrap_err();
        assert_eq!(
            e.message,
            "临河县 names 2 regions of content/regions.yaml (dongchuan/linhe, xiling/linhe)"
        );
        assert_eq!(
            e.hint.as_deref(),
            Some("write its names from the top, such as 东川市/临河县, or its path")
        );
        let e = r.resolve("石门").unwrap_err();
        assert_eq!(e.message, "there is no region 石门 in content/regions.yaml");
        assert_eq!(
            e.hint.as_deref(),
            Some("did you mean 西岭市/石门县 (xiling/shimen)?")
        );
        let e = r.resolve("dongchuan/linhee").unwrap_err();
        assert_eq!(
            e.hint.as_deref(),
            Some("did you mean 东川市/临河县 (dongchuan/linhe)?")
        );
        assert_eq!(r.resolve("北京").unwrap_err().hint, None);
        // Several cells (省辖市, 县（市、区）): one region.
        let cells = |c: &[&str]| r.resolve_cells(c).map(|i| t.list[i].path.clone());
        assert_eq!(cells(&["西岭市", "临河县"]).unwrap(), "xiling/linhe");
        assert_eq!(
            cells(&["东川市", "东川市/临河县"]).unwrap(),
            "dongchuan/linhe"
        );
        assert_eq!(
            cells(&["dongchuan/linhe", "东川市/临河县"]).unwrap(),
            "dongchuan/linhe"
        );
        assert_eq!(cells(&["东川市"]).unwrap(), "dongchuan");
        assert_eq!(
            cells(&["东川市", "石门县"]).unwrap_err().message,
            "石门县 (xiling/shimen) is not in 东川市, which the row's other region cell names"
        );
        assert_eq!(
            cells(&["东川市", "临河"]).unwrap_err().message,
            "there is no region 临河 in content/regions.yaml"
        );
        assert!(r.resolve("东川市/石门县").is_err());
    }
}
