//! Themes: the default theme built into the binary, and a site's overrides by file name.

use crate::content::is_link;
use crate::diagnostics::{rel_path, Diagnostic, Diagnostics};
use std::path::{Path, PathBuf};

macro_rules! builtin {
    ($($name:literal),* $(,)?) => {
        &[$(($name, include_str!(concat!("../../themes/default/templates/", $name)))),*]
    };
}

/// The default theme's templates: name, text.
pub(crate) const TEMPLATES: &[(&str, &str)] = builtin!(
    "base.html",
    "partials/project_table.html",
    "partials/project_row.html",
    "partials/change_row.html",
    "partials/chart.html",
    "partials/bulletin_list.html",
    "partials/cite.html",
    "partials/provenance.html",
    "partials/indicators.html",
    "partials/source.html",
    "partials/pager.html",
    "partials/pager_head.html",
    "partials/pager_top.html",
    "partials/region_table.html",
    "partials/targets.html",
    "partials/chain.html",
    "partials/portal_meta.html",
    "partials/portal_footer.html",
    "partials/notice.html",
    "index.html",
    "projects.html",
    "project.html",
    "batch.html",
    "period.html",
    "sector.html",
    "regions.html",
    "region.html",
    "rankings.html",
    "targets.html",
    "bulletins.html",
    "bulletin.html",
    "page.html",
    "404.html",
    "search.html",
    "redirect.html",
    "chart.html",
    "embed.html",
    "shortcodes/chart.html",
    "shortcodes/projects.html",
    "feed.xml",
    "sitemap.xml",
    "sitemap-index.xml",
);

/// The default theme's static files: output path, bytes.
pub(crate) const STATIC: &[(&str, &[u8])] = &[
    (
        "sanpi.css",
        include_bytes!("../../themes/default/static/sanpi.css"),
    ),
    (
        "favicon.svg",
        include_bytes!("../../themes/default/static/favicon.svg"),
    ),
    (
        "sanpi.js",
        include_bytes!("../../themes/default/static/sanpi.js"),
    ),
    (
        "search.js",
        include_bytes!("../../themes/default/static/search.js"),
    ),
    (
        "filter.js",
        include_bytes!("../../themes/default/static/filter.js"),
    ),
    (
        "chart.js",
        include_bytes!("../../themes/default/static/chart.js"),
    ),
];

/// Where a template came from, for messages.
#[derive(Debug, Clone)]
pub struct Template {
    pub name: String,
    pub text: String,
    /// The file, relative to the site root; None for the built-in theme.
    pub origin: Option<String>,
}

/// A static file of the theme.
#[derive(Debug, Clone)]
pub enum StaticSource {
    Builtin(&'static [u8]),
    File(PathBuf),
}

/// The templates and static files of the site's theme, overrides applied.
pub struct Theme {
    pub templates: Vec<Template>,
    pub statics: Vec<(String, StaticSource)>,
}

impl Theme {
    /// The paths of the theme's static files in the output, for the plan's checks.
    pub(crate) fn static_names(&self) -> Vec<&str> {
        self.statics.iter().map(|(n, _)| n.as_str()).collect()
    }

    /// The text of the theme's stylesheet (`urls::STYLE`), as the site's override has it;
    /// None when it cannot be read. `</` is escaped (`<\/`, the same in CSS) so that the
    /// text can stand in a `<style>` element.
    pub(crate) fn style_text(&self) -> Option<String> {
        let (_, src) = self.statics.iter().find(|(n, _)| n == crate::urls::STYLE)?;
        let text = match src {
            StaticSource::Builtin(b) => String::from_utf8(b.to_vec()).ok()?,
            StaticSource::File(f) => std::fs::read_to_string(f).ok()?,
        };
        Some(text.replace("</", "<\\/"))
    }
}

/// Reads the theme: built-in files, then themes/NAME/, then the site's templates/.
pub(crate) fn load(root: &Path, name: &str, diags: &mut Diagnostics) -> Option<Theme> {
    let mut templates: Vec<Template> = Vec::new();
    let mut statics: Vec<(String, StaticSource)> = Vec::new();
    let theme_dir = root.join("themes").join(name);
    // Links are refused from the root down, so that no folder read here leads out of the site.
    // A folder under a refused link is not looked at.
    let mut themes_linked =
        is_link(root, &root.join("themes"), diags) || is_link(root, &theme_dir, diags);
    if !themes_linked {
        for f in [theme_dir.join("templates"), theme_dir.join("static")] {
            themes_linked |= is_link(root, &f, diags);
        }
    }
    if is_link(root, &root.join("templates"), diags) || themes_linked {
        return None;
    }
    if name == "default" {
        templates.extend(TEMPLATES.iter().map(|(n, t)| Template {
            name: n.to_string(),
            text: t.to_string(),
            origin: None,
        }));
        statics.extend(
            STATIC
                .iter()
                .map(|(n, b)| (n.to_string(), StaticSource::Builtin(b))),
        );
    } else if !theme_dir.is_dir() {
        diags.push(
            Diagnostic::error(
                "content/site.yaml",
                None,
                format!("the theme `{name}` is not in themes/{name}/"),
            )
            .with_hint("remove `theme:` to use the built-in default theme"),
        );
        return None;
    }
    let before = diags.error_count();
    for dir in [theme_dir.join("templates"), root.join("templates")] {
        for (rel_name, path) in files(root, &dir, diags) {
            if !rel_name.ends_with(".html") && !rel_name.ends_with(".xml") {
                continue;
            }
            let rel = rel_path(root, &path);
            match std::fs::read_to_string(&path) {
                Ok(text) => {
                    let t = Template {
                        name: rel_name.clone(),
                        text: crate::source::normalize(text),
                        origin: Some(rel),
                    };
                    match templates.iter_mut().find(|x| x.name == rel_name) {
                        Some(slot) => *slot = t,
                        None => templates.push(t),
                    }
                }
                Err(e) => diags.push(Diagnostic::error(
                    rel,
                    None,
                    format!("cannot read the template: {e}"),
                )),
            }
        }
    }
    for (rel_name, path) in files(root, &theme_dir.join("static"), diags) {
        match statics.iter_mut().find(|(n, _)| *n == rel_name) {
            Some(slot) => slot.1 = StaticSource::File(path),
            None => statics.push((rel_name, StaticSource::File(path))),
        }
    }
    (diags.error_count() == before).then_some(Theme { templates, statics })
}

/// Files under `dir`, by path relative to it, skipping ignored names; none when it is missing.
/// Symbolic links inside are left out with a warning, as in content/.
fn files(root: &Path, dir: &Path, diags: &mut Diagnostics) -> Vec<(String, PathBuf)> {
    if !dir.is_dir() {
        return vec![];
    }
    let mut out = Vec::new();
    let walker = walkdir::WalkDir::new(dir)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| e.depth() == 0 || !e.file_name().to_string_lossy().starts_with('.'))
        .filter_map(Result::ok);
    for e in walker {
        if e.depth() > 0 && e.path_is_symlink() {
            diags.push(
                Diagnostic::warning(
                    rel_path(root, e.path()),
                    None,
                    "symbolic links are not followed; the file is left out",
                )
                .with_hint("copy the file here instead"),
            );
        } else if e.file_type().is_file() {
            out.push((rel_path(dir, e.path()), e.into_path()));
        }
    }
    out
}
