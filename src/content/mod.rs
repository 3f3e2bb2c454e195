//! Loading: walks content/, reads every entry in parallel and validates it on its own.
//! Checks across entries (unique ids, known periods) belong to [`crate::site`].

mod amounts;
pub mod article;
pub mod entry;
pub mod imports;
pub mod period;
pub mod project;
pub mod regions;
pub mod targets;

use crate::config::{self, Config};
use crate::diagnostics::{rel_path, Diagnostic, Diagnostics};
use crate::markdown;
use crate::source;
use crate::yaml::Key;
use article::{Article, Kind};
use entry::Origin;
use period::Period;
use project::{Image, Project};
use rayon::prelude::*;
use std::path::{Path, PathBuf};

/// A file copied as it is from content/static/.
#[derive(Debug, Clone)]
pub struct StaticFile {
    pub source: PathBuf,
    /// Path inside the output, with forward slashes.
    pub output: String,
}

/// Everything read from content/, each entry valid on its own.
#[derive(Debug, Clone)]
pub struct Content {
    pub config: Config,
    pub periods: Vec<Period>,
    pub projects: Vec<Project>,
    pub bulletins: Vec<Article>,
    pub pages: Vec<Article>,
    pub statics: Vec<StaticFile>,
    /// Whether a period file failed to load, so that references to periods cannot be checked.
    pub periods_incomplete: bool,
    /// content/imports.yaml, which `sanpi import` keeps, when the site has one.
    pub imports: Option<imports::Imports>,
    /// content/regions.yaml, when the site has one.
    pub regions: Option<regions::Regions>,
    /// content/targets/*.yaml, by file name.
    pub targets: Vec<targets::Targets>,
}

impl Content {
    /// Everything but the projects, copied: what serve keeps to assemble the site again
    /// after an edit of project entries (`build::Live`).
    pub fn without_projects(&self) -> Content {
        Content {
            config: self.config.clone(),
            periods: self.periods.clone(),
            projects: Vec::new(),
            bulletins: self.bulletins.clone(),
            pages: self.pages.clone(),
            statics: self.statics.clone(),
            periods_incomplete: self.periods_incomplete,
            imports: self.imports.clone(),
            regions: self.regions.clone(),
            targets: self.targets.clone(),
        }
    }

    /// The checks across entries that loading makes (amounts the site's unit can hold).
    pub fn check(&self, diags: &mut Diagnostics) {
        amounts::check(self, diags);
    }
}

/// Whether `path` is a project entry that loading reads, by its place and extension (the
/// rules of [`load`]'s walk): Some(true) for Markdown, Some(false) for YAML, None for any
/// other file, an ignored name or a symbolic link.
pub fn project_file(root: &Path, path: &Path) -> Option<bool> {
    let projects = root.join("content").join("projects");
    let rel = path.strip_prefix(&projects).ok()?;
    let ignored = rel
        .components()
        .any(|c| ignored_name(&c.as_os_str().to_string_lossy()));
    if ignored || rel.as_os_str().is_empty() {
        return None;
    }
    // The walk follows no link: not the file's, nor a folder's on the way to it.
    let mut at = projects.clone();
    for c in std::iter::once(None).chain(rel.components().map(Some)) {
        if let Some(c) = c {
            at.push(c);
        }
        if std::fs::symlink_metadata(&at).is_ok_and(|m| m.file_type().is_symlink()) {
            return None;
        }
    }
    let ext = path.extension()?.to_str()?.to_ascii_lowercase();
    match ext.as_str() {
        "md" => Some(true),
        "yaml" | "yml" => Some(false),
        _ => None,
    }
}

/// How to load.
#[derive(Debug, Clone, Default)]
pub struct LoadOptions {
    pub base_url: Option<String>,
    pub drafts: bool,
}

/// Reads `root/content`. Returns None when site.yaml cannot be read; other files' errors are
/// pushed to `diags` and their entries left out.
pub fn load(root: &Path, opts: &LoadOptions, diags: &mut Diagnostics) -> Option<Content> {
    let content = root.join("content");
    let site_yaml = content.join("site.yaml");
    let rel = rel_path(root, &site_yaml);
    if is_link(root, &content, diags) || is_link(root, &site_yaml, diags) {
        return None;
    }
    if !site_yaml.is_file() {
        let hint = if content.is_dir() {
            "create content/site.yaml with at least `title:`"
        } else {
            "run sanpi in a site folder (one holding content/site.yaml), or create one with `sanpi init DIR`"
        };
        diags.push(
            Diagnostic::error(rel, None, "the site settings file is missing").with_hint(hint),
        );
        return None;
    }
    let config = match source::read(&site_yaml, &rel) {
        Ok(src) => config::parse(&src, opts.base_url.as_deref(), diags),
        Err(d) => {
            diags.push(d);
            None
        }
    };
    let md = markdown::Settings {
        unsafe_html: config.as_ref().is_some_and(|c| c.unsafe_html),
    };

    let (files, linked) = walk(root, &content, diags);
    if linked {
        // Without a whole section, the checks across files would only report its absence.
        return None;
    }
    let results: Vec<Result<Entry, Vec<Diagnostic>>> =
        files.par_iter().map(|f| read_entry(root, f, md)).collect();

    let mut out = Content {
        config: config?,
        periods: vec![],
        projects: vec![],
        bulletins: vec![],
        pages: vec![],
        statics: vec![],
        periods_incomplete: false,
        imports: read_imports(root, diags),
        regions: None,
        targets: vec![],
    };
    for (r, f) in results.into_iter().zip(&files) {
        match r {
            Ok(Entry::Period(p)) => out.periods.push(*p),
            Ok(Entry::Project(p)) if !p.draft || opts.drafts => out.projects.push(*p),
            Ok(Entry::Article(a)) if !a.draft || opts.drafts => match a.kind {
                Kind::Bulletin => out.bulletins.push(*a),
                Kind::Page => out.pages.push(*a),
            },
            Ok(Entry::Static(s)) => out.statics.push(s),
            Ok(Entry::Targets(t)) => out.targets.push(*t),
            Ok(Entry::Ignored) | Ok(_) => {}
            Err(errors) => {
                out.periods_incomplete |= f.kind == FileKind::Period;
                diags.extend(errors)
            }
        }
    }
    // Without the tree, no project's region can be checked: the errors of regions.yaml are
    // the site's, with those of every other file.
    out.regions = read_regions(root, diags)?;
    out.check(diags);
    Some(out)
}

/// content/imports.yaml when there is one; None, with the error pushed, when it cannot be
/// read (a symbolic link is refused like site.yaml's).
fn read_imports(root: &Path, diags: &mut Diagnostics) -> Option<imports::Imports> {
    let path = root.join(imports::PATH);
    if is_link(root, &path, diags) || !path.is_file() {
        return None;
    }
    match source::read(&path, imports::PATH).and_then(|src| imports::Imports::parse(&src)) {
        Ok(i) => Some(i),
        Err(d) => {
            diags.push(d);
            None
        }
    }
}

/// content/regions.yaml when there is one (`Ok(None)` when there is none); `Err` when it
/// cannot be read, with its errors pushed: without the tree no region can be checked.
fn read_regions(root: &Path, diags: &mut Diagnostics) -> Option<Option<regions::Regions>> {
    let path = root.join(regions::PATH);
    if is_link(root, &path, diags) {
        return None;
    }
    if !path.is_file() {
        return Some(None);
    }
    let read = source::read(&path, regions::PATH).map_err(|d| vec![d]);
    match read.and_then(|src| regions::Regions::parse(&src)) {
        Ok(r) => Some(Some(r)),
        Err(errors) => {
            diags.extend(errors);
            None
        }
    }
}

/// What a file of content/ is, by its folder and extension.
#[derive(Debug, Clone, Copy, PartialEq)]
enum FileKind {
    Period,
    ProjectMd,
    ProjectYaml,
    Bulletin,
    Page,
    Static,
    Targets,
}

struct Found {
    path: PathBuf,
    kind: FileKind,
}

enum Entry {
    Period(Box<Period>),
    Project(Box<Project>),
    Article(Box<Article>),
    Static(StaticFile),
    Targets(Box<targets::Targets>),
    Ignored,
}

fn ignored_name(name: &str) -> bool {
    name.starts_with('.') || name.starts_with('_')
}

/// Lists the files of content/ in a stable order, skipping ignored names; and whether a
/// section folder is a symbolic link (an error, pushed).
fn walk(root: &Path, content: &Path, diags: &mut Diagnostics) -> (Vec<Found>, bool) {
    let mut found = Vec::new();
    let mut linked = false;
    type Classify = fn(&str) -> Option<FileKind>;
    let sections: [(&str, Classify); 6] = [
        ("periods", |ext| {
            matches!(ext, "yaml" | "yml").then_some(FileKind::Period)
        }),
        ("projects", |ext| match ext {
            "md" => Some(FileKind::ProjectMd),
            "yaml" | "yml" => Some(FileKind::ProjectYaml),
            _ => None,
        }),
        ("bulletins", |ext| {
            (ext == "md").then_some(FileKind::Bulletin)
        }),
        ("pages", |ext| (ext == "md").then_some(FileKind::Page)),
        ("static", |_| Some(FileKind::Static)),
        ("targets", |ext| {
            matches!(ext, "yaml" | "yml").then_some(FileKind::Targets)
        }),
    ];
    for (dir, classify) in sections {
        let base = content.join(dir);
        if is_link(root, &base, diags) {
            linked = true;
            continue;
        }
        if !base.is_dir() {
            continue;
        }
        let walker = walkdir::WalkDir::new(&base)
            .sort_by_file_name()
            .into_iter()
            .filter_entry(|e| e.depth() == 0 || !ignored_name(&e.file_name().to_string_lossy()));
        for item in walker {
            let e = match item {
                Ok(e) => e,
                Err(err) => {
                    let p = err.path().map(|p| rel_path(root, p)).unwrap_or_default();
                    diags.push(Diagnostic::error(p, None, format!("cannot read: {err}")));
                    continue;
                }
            };
            let rel = rel_path(root, e.path());
            if e.path_is_symlink() {
                diags.push(
                    Diagnostic::warning(
                        rel,
                        None,
                        "symbolic links are not followed; the file is left out",
                    )
                    .with_hint("copy the file into content/ instead"),
                );
                continue;
            }
            if !e.file_type().is_file() {
                continue;
            }
            let ext = e
                .path()
                .extension()
                .and_then(|x| x.to_str())
                .unwrap_or("")
                .to_ascii_lowercase();
            match classify(&ext) {
                Some(kind) => found.push(Found {
                    path: e.into_path(),
                    kind,
                }),
                None => diags.push(Diagnostic::warning(
                    rel,
                    None,
                    format!("not a kind of file {dir}/ holds; it is left out"),
                )),
            }
        }
    }
    (found, linked)
}

/// Whether `path` is a symbolic link, which is then an error: a link to a folder would publish
/// files from outside the site, and leaving a whole section out would publish a site that is
/// silently missing it. Links to single files inside the sections are left out with a warning.
pub fn is_link(root: &Path, path: &Path, diags: &mut Diagnostics) -> bool {
    let link = std::fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_symlink());
    if link {
        let what = if path.is_dir() { "folder" } else { "file" };
        diags.push(
            Diagnostic::error(
                rel_path(root, path),
                None,
                format!(
                    "this {what} is a symbolic link; sanpi does not follow links, so that no file from outside the site is published"
                ),
            )
            .with_hint(format!("put the {what} itself here instead of a link to it")),
        );
    }
    link
}

fn read_entry(root: &Path, f: &Found, md: markdown::Settings) -> Result<Entry, Vec<Diagnostic>> {
    let rel = rel_path(root, &f.path);
    if f.kind == FileKind::Static {
        let base = root.join("content").join("static");
        let output = rel_path(&base, &f.path);
        if let Some(why) = unpublishable_name(&f.path, &output) {
            return Err(vec![Diagnostic::error(rel, None, why).with_hint(
                "rename the file with letters, digits, `-`, `_` and `.` (Chinese is fine)",
            )]);
        }
        return Ok(Entry::Static(StaticFile {
            source: f.path.clone(),
            output,
        }));
    }
    let src = source::read(&f.path, &rel).map_err(|d| vec![d])?;
    let stem = f
        .path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    Ok(match f.kind {
        FileKind::Period => Entry::Period(Box::new(period::parse(&src, md)?)),
        FileKind::ProjectMd => Entry::Project(Box::new(project::parse(&src, &stem, true, md)?)),
        FileKind::ProjectYaml => Entry::Project(Box::new(project::parse(&src, &stem, false, md)?)),
        FileKind::Bulletin => {
            Entry::Article(Box::new(article::parse(&src, &stem, Kind::Bulletin, md)?))
        }
        FileKind::Page => Entry::Article(Box::new(article::parse(&src, &stem, Kind::Page, md)?)),
        FileKind::Targets => Entry::Targets(Box::new(targets::Targets::parse(&src)?)),
        FileKind::Static => Entry::Ignored,
    })
}

/// Checks the shape of `images:` entries; whether the files exist is checked with the site.
pub(crate) fn check_images(origin: &Origin, images: &[Image], errors: &mut Vec<Diagnostic>) {
    for (i, img) in images.iter().enumerate() {
        let at = |k| [Key::Field("images"), Key::Index(i), Key::Field(k)];
        if !is_safe_relative(&img.src) {
            errors.push(
                origin
                    .error(
                        &at("src"),
                        format!("`{}` is not a path inside content/static/", img.src),
                    )
                    .with_hint("write it relative to content/static/, such as images/site.jpg"),
            );
        }
        if img.alt.trim().is_empty() {
            errors.push(origin.error(
                &at("alt"),
                "an image needs alt text that says what it shows",
            ));
        }
    }
}

/// Why a static file cannot be published under its own name, the same on every platform and
/// in every browser; None when it can.
fn unpublishable_name(path: &Path, output: &str) -> Option<String> {
    if path.to_str().is_none() {
        return Some(
            "the file's name is not valid UTF-8, so its published name would not be its own".into(),
        );
    }
    if output.contains('\\') {
        return Some("the file's name holds a backslash (`\\`), which Windows and web browsers read as a folder separator: its published name and URL would differ by platform".into());
    }
    if output.chars().any(char::is_control) {
        return Some(
            "the file's name holds a control character, which no URL can carry as it is".into(),
        );
    }
    None
}

/// A relative path with no way out of its folder.
pub fn is_safe_relative(p: &str) -> bool {
    !p.is_empty()
        && !p.starts_with('/')
        && !p.contains('\\')
        && !p.contains(':')
        && !p.chars().any(char::is_control)
        && p.split('/')
            .all(|seg| !seg.is_empty() && seg != "." && seg != ".." && !seg.contains('%'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn safe_relative_paths() {
        assert!(is_safe_relative("images/a.jpg"));
        for p in [
            "",
            "/etc/passwd",
            "../x",
            "a/../../x",
            "a\\b",
            "%2e%2e/x",
            "c:/x",
            "a//b",
        ] {
            assert!(!is_safe_relative(p), "{p}");
        }
    }
}
