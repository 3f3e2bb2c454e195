//! Where a build may write: the output folder resolved through `..` and symlinks, checked
//! against the site's own folders, recognised by sanpi's marker, and locked against a second
//! build into the same folder.
//!
//! The promise (FORMAT.md, end of the CLI section): sanpi replaces a folder only when it is
//! missing, empty, or marked as an earlier sanpi output, and touches nothing beside it but
//! its own `.NAME.sanpi-spare` and `.NAME.sanpi-lock`.

use crate::diagnostics::Diagnostic;
use std::fs;
use std::io;
use std::path::{Component, Path, PathBuf};

/// The file inside every output that marks it as sanpi's. Its bytes never change, so a copy
/// of an output (a backup, a deployment) stays marked and is recognised.
pub(crate) const MARKER: &str = ".sanpi-output";
pub(crate) const MARKER_TEXT: &[u8] =
    b"This folder was written by sanpi (sanpi build). The next build replaces it whole:\n\
do not keep files of your own in it.\n";

/// Symlinks followed before giving up, as the kernel does (ELOOP).
const MAX_LINKS: usize = 40;

/// The output folder of one build.
#[derive(Debug, Clone)]
pub(crate) struct Output {
    /// As the user named it, for messages.
    pub shown: PathBuf,
    /// The real folder: absolute, with `..` and every symlink resolved. When the output the
    /// user named is a symlink, this is where it points, so that the link stays a link and
    /// leads to the new site.
    pub real: PathBuf,
    /// `--force`: replace the folder even when it is not marked as sanpi's.
    pub force: bool,
}

impl Output {
    /// The spare beside the real output: the previous site, recycled by the next build.
    pub(crate) fn spare(&self) -> PathBuf {
        beside(&self.real, "sanpi-spare")
    }

    /// The lock file beside the real output.
    pub(crate) fn lock(&self) -> PathBuf {
        beside(&self.real, "sanpi-lock")
    }
}

/// `.NAME.SUFFIX` beside `real`.
fn beside(real: &Path, suffix: &str) -> PathBuf {
    let name = real
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "output".into());
    real.with_file_name(format!(".{name}.{suffix}"))
}

/// `path` made absolute, with `..` and every symlink resolved, including a final component
/// that is a symlink (dangling or not). Parts that do not exist yet are resolved lexically:
/// they cannot be symlinks.
pub(crate) fn resolve(path: &Path) -> io::Result<PathBuf> {
    let mut p = std::path::absolute(path)?;
    for _ in 0..MAX_LINKS {
        match fs::symlink_metadata(&p) {
            Ok(m) if m.file_type().is_symlink() => {
                let target = fs::read_link(&p)?;
                let dir = p.parent().map(Path::to_path_buf).unwrap_or_default();
                p = dir.join(target);
            }
            Ok(_) => return fs::canonicalize(&p),
            Err(e) if e.kind() == io::ErrorKind::NotFound => {
                // A missing path: resolve its parent, then add the last part lexically.
                let Some(parent) = p.parent().filter(|q| *q != p) else {
                    return Ok(p);
                };
                let mut real = resolve(parent)?;
                match p.components().next_back() {
                    Some(Component::ParentDir) => {
                        real.pop();
                    }
                    Some(Component::Normal(n)) => real.push(n),
                    _ => {}
                }
                return Ok(real);
            }
            Err(e) => return Err(e),
        }
    }
    Err(io::Error::other(format!(
        "{}: too many levels of symbolic links",
        path.display()
    )))
}

/// Checks the output folder of a build of the site at `root`: where it really is, that it
/// is not one of the site's own folders, and that it may be replaced.
pub(crate) fn check(root: &Path, shown: &Path, force: bool) -> Result<Output, Diagnostic> {
    let real = resolve(shown).map_err(|e| {
        error(format!(
            "cannot resolve the output folder {}: {e}",
            shown.display()
        ))
    })?;
    if real.file_name().is_none() || real.parent().is_none() {
        return Err(error(format!(
            "the output folder {} is the root of the file system",
            shown.display()
        )));
    }
    let root_real = resolve(root).unwrap_or_else(|_| root.to_path_buf());
    if root_real.starts_with(&real) {
        return Err(error(format!(
            "the output folder {} holds the site itself ({})",
            shown.display(),
            root_real.display()
        ))
        .with_hint("choose an --output outside the site's folder, or ROOT/output"));
    }
    for source in source_folders(root) {
        if real.starts_with(&source) {
            let inside = source.strip_prefix(&root_real).unwrap_or(&source);
            return Err(error(format!(
                "the output folder {} is inside {}/, which the build reads",
                shown.display(),
                inside.display()
            ))
            .with_hint("choose another --output, such as ROOT/output"));
        }
    }
    let out = Output {
        shown: shown.to_path_buf(),
        real,
        force,
    };
    replaceable(&out.real, &out.shown, "--output", force)?;
    Ok(out)
}

/// The folders a build reads, resolved: an output inside one of them would publish itself.
fn source_folders(root: &Path) -> Vec<PathBuf> {
    let mut folders = Vec::new();
    for top in ["content", "themes", "templates", ".sanpi"] {
        let dir = root.join(top);
        folders.extend(resolve(&dir).ok());
        // Sections and themes may be symlinks to elsewhere: their targets are read too.
        if let Ok(entries) = fs::read_dir(&dir) {
            for e in entries.flatten() {
                folders.extend(resolve(&e.path()).ok());
                if top == "themes" {
                    for inner in ["static", "templates"] {
                        folders.extend(resolve(&e.path().join(inner)).ok());
                    }
                }
            }
        }
    }
    folders
}

/// Whether the folder at `real` may be replaced: missing, empty, or marked (or `force`).
/// `what` names the folder's role in messages.
pub(crate) fn replaceable(
    real: &Path,
    shown: &Path,
    what: &str,
    force: bool,
) -> Result<(), Diagnostic> {
    let meta = match fs::symlink_metadata(real) {
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(()),
        Err(e) => return Err(error(format!("cannot read {}: {e}", shown.display()))),
        Ok(m) => m,
    };
    if meta.file_type().is_symlink() {
        return Err(error(format!(
            "{} is a symbolic link; sanpi does not follow it there",
            shown.display()
        ))
        .with_hint("remove the link"));
    }
    if !meta.is_dir() {
        return Err(
            error(format!("{} exists and is not a folder", shown.display()))
                .with_hint("remove it, or choose another --output"),
        );
    }
    let mut entries =
        fs::read_dir(real).map_err(|e| error(format!("cannot read {}: {e}", shown.display())))?;
    if entries.next().is_none() || is_marked(real) || force {
        return Ok(());
    }
    let looks_like_a_site = ["index.html", "sanpi.js", "sanpi.css"]
        .iter()
        .all(|f| real.join(f).is_file());
    let message = if looks_like_a_site {
        format!(
            "{} looks like a site built by an earlier sanpi, which did not mark its output \
             with {MARKER}; sanpi replaces only folders it marked",
            shown.display()
        )
    } else {
        format!(
            "{} is not empty and was not written by sanpi (it has no {MARKER}); building \
             would replace it",
            shown.display()
        )
    };
    let hint = if what == "--output" {
        "choose another --output, empty the folder, or pass --force to replace it with \
         everything in it"
            .to_string()
    } else {
        format!("remove {}, or pass --force to recycle it", shown.display())
    };
    Err(error(message).with_hint(hint))
}

/// Whether `dir` carries sanpi's marker (a regular file, not a link to one).
pub(crate) fn is_marked(dir: &Path) -> bool {
    fs::symlink_metadata(dir.join(MARKER)).is_ok_and(|m| m.is_file())
}

fn error(message: String) -> Diagnostic {
    Diagnostic::error("", None, message)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resolves_dot_dot_and_symlinks() {
        let tmp = tempfile::tempdir().unwrap();
        let base = fs::canonicalize(tmp.path()).unwrap();
        fs::create_dir_all(base.join("a/b")).unwrap();
        assert_eq!(resolve(&base.join("a/b/../c")).unwrap(), base.join("a/c"));
        assert_eq!(
            resolve(&base.join("a/missing/../d")).unwrap(),
            base.join("a/d")
        );
        #[cfg(unix)]
        {
            std::os::unix::fs::symlink(base.join("a/b"), base.join("link")).unwrap();
            assert_eq!(resolve(&base.join("link")).unwrap(), base.join("a/b"));
            assert_eq!(resolve(&base.join("link/x")).unwrap(), base.join("a/b/x"));
            std::os::unix::fs::symlink("a/nowhere", base.join("dangling")).unwrap();
            assert_eq!(
                resolve(&base.join("dangling")).unwrap(),
                base.join("a/nowhere")
            );
            std::os::unix::fs::symlink("loop", base.join("loop")).unwrap();
            assert!(resolve(&base.join("loop")).is_err());
        }
    }

    #[test]
    fn only_missing_empty_marked_or_forced_folders_are_replaceable() {
        let tmp = tempfile::tempdir().unwrap();
        let d = tmp.path().join("d");
        let ok = |force| replaceable(&d, &d, "--output", force).is_ok();
        assert!(ok(false), "missing");
        fs::create_dir(&d).unwrap();
        assert!(ok(false), "empty");
        fs::write(d.join("index.html"), "x").unwrap();
        assert!(!ok(false), "an index.html is not a mark");
        assert!(ok(true), "--force");
        fs::write(d.join(MARKER), MARKER_TEXT).unwrap();
        assert!(ok(false), "marked");
        fs::write(tmp.path().join("file"), "x").unwrap();
        let f = tmp.path().join("file");
        assert!(replaceable(&f, &f, "--output", true).is_err(), "a file");
    }
}
