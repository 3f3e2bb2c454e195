//! Sector slugs: the site's own (`sectors:` in site.yaml), else pinyin; two sectors may not
//! share one.

use crate::config::Config;
use crate::content::project::Project;
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::slug;
use crate::yaml::Key;
use std::collections::BTreeMap;

/// The sectors the projects name, by slug.
pub(super) fn slugs(
    config: &Config,
    projects: &[Project],
    diags: &mut Diagnostics,
) -> BTreeMap<String, String> {
    let mut names: Vec<&str> = projects
        .iter()
        .filter_map(|p| p.sector.as_deref())
        .collect();
    names.sort_unstable();
    names.dedup();
    let mut by_slug: BTreeMap<String, String> = BTreeMap::new();
    for &name in &names {
        let s = config
            .sectors
            .get(name)
            .cloned()
            .unwrap_or_else(|| slug::pinyin_slug(name));
        if let Some(other) = by_slug.get(&s) {
            // The first project that names the sector carries the error.
            if let Some(user) = projects.iter().find(|p| p.sector.as_deref() == Some(name)) {
                diags.push(
                    user.origin
                        .error(
                            &[Key::Field("sector")],
                            format!("sectors {other} and {name} would share the URL slug `{s}`"),
                        )
                        .with_hint("give one of them its own slug under `sectors:` in site.yaml"),
                );
            }
            continue;
        }
        by_slug.insert(s, name.to_string());
    }
    for name in config.sectors.keys() {
        if !names.contains(&name.as_str()) {
            diags.push(Diagnostic::warning(
                "content/site.yaml",
                None,
                format!("sector {name} has a slug under `sectors:` but no project names it"),
            ));
        }
    }
    by_slug
}
