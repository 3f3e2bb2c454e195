//! content/regions.yaml: the tree of regions (省辖市, 县（市、区）…) whose projects one site
//! gathers, read into a flat list in the tree's order (depth first).

use crate::content::entry::{self, Origin};
use crate::diagnostics::Diagnostic;
use crate::model::{is_slug, slug_fault};
use crate::source::Source;
use crate::yaml::{self, Key};
use serde::Deserialize;
use std::collections::HashSet;

/// The file, relative to the site's root.
pub const PATH: &str = "content/regions.yaml";

/// How deep the tree may go: far deeper than any administrative tree (province, city,
/// county, township, village), and shallow enough that no recursion runs away.
const MAX_DEPTH: usize = 8;

/// The longest path a region may have: its chart's file (`charts/region-PATH.png`) must stay
/// well under the 255 bytes most file systems allow in a name.
const MAX_PATH: usize = 200;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRegion {
    name: String,
    slug: String,
    code: Option<yaml::Value>,
    group: Option<String>,
    #[serde(default)]
    regions: Vec<RawRegion>,
}

/// One region of the tree.
#[derive(Debug, Clone, PartialEq)]
pub struct Region {
    pub name: String,
    pub slug: String,
    /// Its slugs from the top, joined by `/`: `zhengzhou/gaoxin`.
    pub path: String,
    /// 行政区划代码, six digits.
    pub code: Option<String>,
    /// The peer group it is ranked in; None for its level's default group.
    pub group: Option<String>,
    /// 1 for the top level.
    pub level: usize,
    /// Index of its parent in [`Regions::list`].
    pub parent: Option<usize>,
    /// Indexes of its subregions, in the file's order.
    pub children: Vec<usize>,
}

/// The tree, as a list in the tree's order: each region before its subregions, depth first.
#[derive(Debug, Clone, Default)]
pub struct Regions {
    pub list: Vec<Region>,
    /// Each region's place in `list`, by its path ([`Regions::find`]).
    by_path: std::collections::HashMap<String, usize>,
}

impl Regions {
    /// Reads the tree; every error of the file, each at its value.
    pub fn parse(src: &Source) -> Result<Regions, Vec<Diagnostic>> {
        let parsed = entry::parse::<Vec<RawRegion>>(src, false).map_err(|d| vec![d])?;
        let mut out = Regions::default();
        let mut errors = Vec::new();
        let mut at = Vec::new();
        out.add(&parsed.raw, None, &parsed.origin, &mut at, &mut errors);
        if errors.is_empty() {
            Ok(out)
        } else {
            Err(errors)
        }
    }

    fn add<'a>(
        &mut self,
        raw: &'a [RawRegion],
        parent: Option<usize>,
        origin: &Origin,
        at: &mut Vec<Key<'a>>,
        errors: &mut Vec<Diagnostic>,
    ) {
        let level = at.len() / 2 + 1;
        let mut names = HashSet::new();
        let mut slugs = HashSet::new();
        for (i, r) in raw.iter().enumerate() {
            at.push(Key::Index(i));
            let key = |k: &'static str, at: &[Key<'a>]| [at, &[Key::Field(k)]].concat();
            let name = r.name.trim().to_string();
            if name.is_empty() {
                errors.push(origin.error(&key("name", at), "a region needs a name"));
            } else if !names.insert(name.clone()) {
                errors.push(
                    origin
                        .error(
                            &key("name", at),
                            format!("{name} is named twice at this level"),
                        )
                        .with_hint("regions with one parent have different names"),
                );
            }
            let slug = r.slug.trim().to_string();
            if !is_slug(&slug) {
                errors.push(
                    origin
                        .error(
                            &key("slug", at),
                            format!(
                                "`{slug}` is not a region's slug: {}",
                                slug_fault(&slug).unwrap_or_default()
                            ),
                        )
                        .with_hint(
                            "lowercase ASCII letters, digits and hyphens, such as zhengzhou",
                        ),
                );
            } else if !slugs.insert(slug.clone()) {
                errors.push(
                    origin
                        .error(
                            &key("slug", at),
                            format!("the slug `{slug}` is taken at this level"),
                        )
                        .with_hint("regions with one parent have different slugs"),
                );
            } else if slug == crate::urls::PAGER {
                errors.push(
                    origin
                        .error(&key("slug", at), format!("the slug `{slug}` is reserved for the pages of a region's list of projects"))
                        .with_hint("give the region another slug"),
                );
            }
            let code = match &r.code {
                None => None,
                Some(v) => {
                    let text = yaml::scalar_text(v).unwrap_or_default();
                    if text.len() == 6 && text.bytes().all(|b| b.is_ascii_digit()) {
                        Some(text)
                    } else {
                        errors.push(
                            origin
                                .error(
                                    &key("code", at),
                                    "`code` is not a 行政区划代码 of six digits",
                                )
                                .with_hint("write it as a quoted string, such as \"410100\""),
                        );
                        None
                    }
                }
            };
            let group = r
                .group
                .as_deref()
                .map(str::trim)
                .filter(|g| !g.is_empty())
                .map(str::to_string);
            let index = self.list.len();
            let path = match parent {
                Some(p) => format!("{}/{slug}", self.list[p].path),
                None => slug.clone(),
            };
            if path.len() > MAX_PATH {
                errors.push(
                    origin
                        .error(&key("slug", at), format!("the region's path is {} bytes long, and at most {MAX_PATH}", path.len()))
                        .with_hint("its chart's file is named after the path: give it or its parents shorter slugs"),
                );
            }
            self.by_path.entry(path.clone()).or_insert(index);
            self.list.push(Region {
                name,
                slug,
                path,
                code,
                group,
                level,
                parent,
                children: vec![],
            });
            if let Some(p) = parent {
                self.list[p].children.push(index);
            }
            if !r.regions.is_empty() {
                if level >= MAX_DEPTH {
                    errors.push(origin.error(
                        &key("regions", at),
                        format!("the tree is deeper than {MAX_DEPTH} levels"),
                    ));
                } else {
                    at.push(Key::Field("regions"));
                    self.add(&r.regions, Some(index), origin, at, errors);
                    at.pop();
                }
            }
            at.pop();
        }
    }

    /// The index of the region with path `path`.
    pub fn find(&self, path: &str) -> Option<usize> {
        self.by_path.get(path).copied()
    }

    /// The projects in each region or its subregions, by the region's place in `list`:
    /// `region_of` gives each project's region, and each list is in the projects' order.
    pub fn members(&self, region_of: &[Option<usize>]) -> Vec<Vec<usize>> {
        let mut out = vec![Vec::new(); self.list.len()];
        for (i, r) in region_of.iter().enumerate() {
            let mut at = *r;
            while let Some(j) = at {
                out[j].push(i);
                at = self.list[j].parent;
            }
        }
        out
    }

    /// The paths closest to an unknown `path`, for a hint: those whose name or last slug is
    /// the unknown path's last segment, else a "did you mean" on the paths.
    pub fn suggest(&self, path: &str) -> Option<String> {
        let last = path.rsplit('/').next().unwrap_or(path);
        let same: Vec<&str> = self
            .list
            .iter()
            .filter(|r| r.slug == last || r.name == last)
            .map(|r| r.path.as_str())
            .collect();
        if !same.is_empty() {
            return Some(format!("did you mean {}?", same.join(" or ")));
        }
        let paths = self.list.iter().map(|r| r.path.as_str());
        crate::diagnostics::did_you_mean(path, paths).map(|p| format!("did you mean {p}?"))
    }

    /// Region `i` and its ancestors, from the top.
    pub fn lineage(&self, i: usize) -> Vec<usize> {
        let mut out = vec![i];
        while let Some(p) = self.list[*out.last().unwrap_or(&i)].parent {
            out.push(p);
        }
        out.reverse();
        out
    }

    /// Whether region `i` is `ancestor` or below it.
    pub fn within(&self, i: usize, ancestor: usize) -> bool {
        let mut at = Some(i);
        while let Some(j) = at {
            if j == ancestor {
                return true;
            }
            at = self.list[j].parent;
        }
        false
    }

    /// The deepest level.
    pub fn depth(&self) -> usize {
        self.list.iter().map(|r| r.level).max().unwrap_or(0)
    }
}

/// The name of level `level` (1 for the top): `region_levels` when it names it, else 地区 and
/// 县区, then 第N级.
pub fn level_name(levels: &[String], level: usize) -> String {
    if let Some(l) = level.checked_sub(1).and_then(|i| levels.get(i)) {
        return l.clone();
    }
    match level {
        1 => crate::labels::label("region_level_1").to_string(),
        2 => crate::labels::label("region_level_2").to_string(),
        n => crate::labels::label("region_level_n").replace("{n}", &n.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<Regions, Vec<Diagnostic>> {
        Regions::parse(&crate::source::decode(text.as_bytes().to_vec(), PATH).unwrap())
    }

    const TREE: &str = "- name: 郑州市\n  slug: zhengzhou\n  code: \"410100\"\n  regions:\n    - { name: 郑州高新区, slug: gaoxin, group: 开发区 }\n    - { name: 中牟县, slug: zhongmou, group: 县（市）组, code: 410122 }\n- { name: 鹤壁市, slug: hebi }\n";

    #[test]
    fn the_tree_reads_depth_first_with_paths_levels_and_parents() {
        let r = parse(TREE).unwrap();
        let paths: Vec<&str> = r.list.iter().map(|r| r.path.as_str()).collect();
        assert_eq!(
            paths,
            [
                "zhengzhou",
                "zhengzhou/gaoxin",
                "zhengzhou/zhongmou",
                "hebi"
            ]
        );
        assert_eq!(r.list[0].children, [1, 2]);
        assert_eq!(r.list[2].parent, Some(0));
        assert_eq!(r.list[2].level, 2);
        assert_eq!(r.list[2].code.as_deref(), Some("410122"));
        assert_eq!(r.list[1].group.as_deref(), Some("开发区"));
        assert_eq!(r.list[3].group, None);
        assert_eq!(r.find("zhengzhou/gaoxin"), Some(1));
        assert_eq!(r.lineage(2), [0, 2]);
        assert!(r.within(2, 0) && r.within(0, 0) && !r.within(3, 0));
        assert_eq!(r.find("gaoxin"), None, "a path is found whole");
        // Projects in 高新区, 鹤壁, none, 中牟, the city itself: each region holds those of
        // its subregions, in the projects' order.
        let members = r.members(&[Some(1), Some(3), None, Some(2), Some(0)]);
        assert_eq!(members, [vec![0, 3, 4], vec![0], vec![3], vec![1]]);
        assert_eq!(r.depth(), 2);
        assert_eq!(
            r.suggest("gaoxin").as_deref(),
            Some("did you mean zhengzhou/gaoxin?")
        );
    }

    #[test]
    fn errors_point_at_the_value() {
        let e = parse("- { name: 甲, slug: a }\n- { name: 甲, slug: A }\n").unwrap_err();
        let lines: Vec<String> = e.iter().map(|d| d.to_string()).collect();
        assert_eq!(lines.len(), 2, "{lines:?}");
        assert!(
            lines[0].starts_with("error: content/regions.yaml:2:11: 甲 is named twice"),
            "{lines:?}"
        );
        assert!(
            lines[1].starts_with("error: content/regions.yaml:2:20: `A` is not a region's slug"),
            "{lines:?}"
        );
        let e = parse("- name: 甲\n  slug: a\n  code: \"4101\"\n").unwrap_err();
        assert!(
            e[0].to_string()
                .starts_with("error: content/regions.yaml:3:9: `code`"),
            "{}",
            e[0]
        );
        let e = parse("- name: 甲\n  slug: a\n  regions:\n    - { name: 乙, slug: b, level: 2 }\n")
            .unwrap_err();
        assert!(
            e[0].to_string()
                .starts_with("error: content/regions.yaml:4:"),
            "{}",
            e[0]
        );
    }

    #[test]
    fn level_names() {
        let named = vec!["省辖市".to_string()];
        assert_eq!(level_name(&named, 1), "省辖市");
        assert_eq!(level_name(&named, 2), "县区");
        assert_eq!(level_name(&[], 1), "地区");
        assert_eq!(level_name(&[], 3), "第3级");
    }
}
