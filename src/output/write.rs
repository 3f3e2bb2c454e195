//! Writing the output atomically: everything goes into a staging folder beside the output,
//! which replaces the output only once the whole site is written.
//!
//! Deleting a site of ten thousand pages costs about as much as building it, so the previous
//! site is not deleted: it is kept beside the output as a *spare* (`.NAME.sanpi-spare`) and
//! recycled as the next build's staging folder, where every file is overwritten and what the
//! new site does not have is pruned. The output itself is only ever replaced whole.

use std::collections::HashSet;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

/// Marks the folders beside the output, so that leftovers can be recognised.
const STAGING: &str = ".sanpi-staging-";
const OLD: &str = ".sanpi-old-";
const SPARE: &str = ".sanpi-spare";

/// A folder being filled with a new site.
pub struct Staging {
    dir: PathBuf,
    target: PathBuf,
    committed: bool,
    /// Set when the folder is a recycled spare: the files written, so that the rest can go.
    written: Option<Mutex<HashSet<String>>>,
}

fn name_of(target: &Path) -> String {
    target
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "output".into())
}

fn sibling(target: &Path, marker: &str) -> PathBuf {
    target.with_file_name(format!(
        ".{}{marker}{}",
        name_of(target),
        std::process::id()
    ))
}

/// The spare: the previous site, kept to be recycled.
pub fn spare_of(target: &Path) -> PathBuf {
    target.with_file_name(format!(".{}{SPARE}", name_of(target)))
}

/// Removes staging and old folders that killed builds left beside `target`.
fn clear_leftovers(target: &Path) {
    let Some(parent) = target.parent() else {
        return;
    };
    let name = name_of(target);
    let Ok(entries) = fs::read_dir(if parent.as_os_str().is_empty() {
        Path::new(".")
    } else {
        parent
    }) else {
        return;
    };
    for e in entries.flatten() {
        let n = e.file_name().to_string_lossy().into_owned();
        if [STAGING, OLD]
            .iter()
            .any(|m| n.starts_with(&format!(".{name}{m}")))
        {
            let _ = fs::remove_dir_all(e.path());
        }
    }
}

/// Whether `dir` may be replaced by a build: missing, empty, or a site sanpi wrote.
pub fn replaceable(dir: &Path) -> bool {
    match fs::read_dir(dir) {
        Err(_) => !dir.exists(),
        Ok(mut entries) => {
            entries.next().is_none()
                || dir.join("index.html").is_file()
                || dir.join("404.html").is_file()
        }
    }
}

impl Staging {
    /// A staging folder for `target`: the spare when there is one, else a new empty folder.
    pub fn new(target: &Path) -> io::Result<Staging> {
        if let Some(parent) = target.parent().filter(|p| !p.as_os_str().is_empty()) {
            fs::create_dir_all(parent)?;
        }
        clear_leftovers(target);
        let dir = sibling(target, STAGING);
        let spare = spare_of(target);
        let written = if spare.is_dir() && fs::rename(&spare, &dir).is_ok() {
            Some(Mutex::new(HashSet::new()))
        } else {
            fs::create_dir_all(&dir)?;
            None
        };
        Ok(Staging {
            dir,
            target: target.to_path_buf(),
            committed: false,
            written,
        })
    }

    /// Writes one file at `rel` (forward slashes) inside the staging folder.
    pub fn write(&self, rel: &str, bytes: &[u8]) -> io::Result<()> {
        let path = self.path_of(rel)?;
        if let Some(parent) = path.parent() {
            fs::create_dir_all(parent)?;
        }
        self.mark(rel);
        fs::write(path, bytes)
    }

    /// Copies `source` to `rel`.
    pub fn copy(&self, rel: &str, source: &Path) -> io::Result<()> {
        let path = self.path_of(rel)?;
        if let Some(parent) = path.parent() {
            fs::create_dir_all(parent)?;
        }
        self.mark(rel);
        fs::copy(source, path).map(|_| ())
    }

    fn mark(&self, rel: &str) {
        if let Some(w) = &self.written {
            w.lock()
                .unwrap_or_else(|e| e.into_inner())
                .insert(rel.to_string());
        }
    }

    /// A path inside the staging folder; anything that could climb out is refused.
    fn path_of(&self, rel: &str) -> io::Result<PathBuf> {
        let ok = !rel.is_empty()
            && !rel.starts_with('/')
            && !rel.contains('\\')
            && rel
                .split('/')
                .all(|s| !s.is_empty() && s != "." && s != "..");
        if !ok {
            return Err(io::Error::new(
                io::ErrorKind::InvalidInput,
                format!("refusing to write outside the output: {rel}"),
            ));
        }
        Ok(self.dir.join(rel))
    }

    /// In a recycled folder, removes every file this build did not write, and the folders
    /// that end up empty, so that the staging folder holds exactly the new site.
    fn prune(&self) -> io::Result<()> {
        let Some(written) = &self.written else {
            return Ok(());
        };
        let written = written.lock().unwrap_or_else(|e| e.into_inner());
        let mut dirs = Vec::new();
        for e in walkdir::WalkDir::new(&self.dir)
            .min_depth(1)
            .contents_first(true)
        {
            let e = e.map_err(io::Error::other)?;
            let rel = e
                .path()
                .strip_prefix(&self.dir)
                .unwrap_or(e.path())
                .to_string_lossy()
                .replace('\\', "/");
            if e.file_type().is_dir() {
                dirs.push(e.into_path());
            } else if !written.contains(&rel) {
                fs::remove_file(e.path())?;
            }
        }
        // contents_first lists a folder after what it holds: empty ones go bottom up.
        for d in dirs {
            if fs::read_dir(&d)?.next().is_none() {
                fs::remove_dir(&d)?;
            }
        }
        Ok(())
    }

    /// Puts the new site in place of the old one, and keeps the old one as the spare. On
    /// Linux the two folders are exchanged in one step (renameat2 with RENAME_EXCHANGE), so
    /// that at every instant the output is either the old site or the new one; elsewhere,
    /// two renames with a rollback.
    pub fn commit(mut self) -> io::Result<()> {
        self.prune()?;
        let spare = spare_of(&self.target);
        #[cfg(target_os = "linux")]
        if self.target.is_dir() {
            let swapped = rustix::fs::renameat_with(
                rustix::fs::CWD,
                &self.dir,
                rustix::fs::CWD,
                &self.target,
                rustix::fs::RenameFlags::EXCHANGE,
            );
            if swapped.is_ok() {
                self.committed = true;
                // The staging path now holds the old site: it becomes the spare.
                if fs::rename(&self.dir, &spare).is_err() {
                    let _ = fs::remove_dir_all(&self.dir);
                }
                return Ok(());
            }
        }
        let old = sibling(&self.target, OLD);
        let had_old = self.target.exists();
        if had_old {
            fs::rename(&self.target, &old)?;
        }
        if let Err(e) = fs::rename(&self.dir, &self.target) {
            if had_old {
                let _ = fs::rename(&old, &self.target);
            }
            return Err(e);
        }
        self.committed = true;
        if had_old && fs::rename(&old, &spare).is_err() {
            let _ = fs::remove_dir_all(&old);
        }
        Ok(())
    }
}

impl Drop for Staging {
    /// A failed build's folder is kept as the spare when it was one (every file of it is
    /// rewritten by the next build), and removed otherwise.
    fn drop(&mut self) {
        if self.committed {
            return;
        }
        if self.written.is_some() && fs::rename(&self.dir, spare_of(&self.target)).is_ok() {
            return;
        }
        let _ = fs::remove_dir_all(&self.dir);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn files(dir: &Path) -> Vec<String> {
        let mut v: Vec<String> = walkdir::WalkDir::new(dir)
            .min_depth(1)
            .into_iter()
            .map(|e| {
                e.unwrap()
                    .path()
                    .strip_prefix(dir)
                    .unwrap()
                    .to_string_lossy()
                    .into_owned()
            })
            .collect();
        v.sort();
        v
    }

    #[test]
    fn commit_replaces_and_drop_discards() {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("out");
        let s = Staging::new(&out).unwrap();
        s.write("a/index.html", b"1").unwrap();
        s.commit().unwrap();
        assert_eq!(fs::read(out.join("a/index.html")).unwrap(), b"1");

        let s = Staging::new(&out).unwrap();
        s.write("b.txt", b"2").unwrap();
        drop(s);
        assert!(out.join("a/index.html").is_file() && !out.join("b.txt").exists());
        assert_eq!(
            fs::read_dir(tmp.path()).unwrap().count(),
            1,
            "no staging folder is left"
        );
    }

    #[test]
    fn the_previous_site_is_recycled_and_pruned() {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("out");
        for (files_to_write, content) in [
            (vec!["a/index.html", "b/index.html", "x.css"], "1"),
            (vec!["a/index.html", "c/d/index.html"], "2"),
            (vec!["a/index.html"], "3"),
        ] {
            let s = Staging::new(&out).unwrap();
            for f in &files_to_write {
                s.write(f, content.as_bytes()).unwrap();
            }
            s.commit().unwrap();
            let mut want: Vec<String> = files_to_write.iter().map(|s| s.to_string()).collect();
            for f in files_to_write {
                let mut p = Path::new(f).parent();
                while let Some(d) = p.filter(|d| !d.as_os_str().is_empty()) {
                    want.push(d.to_string_lossy().into_owned());
                    p = d.parent();
                }
                assert_eq!(fs::read_to_string(out.join(f)).unwrap(), content);
            }
            want.sort();
            want.dedup();
            assert_eq!(files(&out), want, "exactly the new site");
        }
        assert!(
            spare_of(&out).is_dir(),
            "the previous site waits as the spare"
        );
    }

    #[test]
    fn refuses_paths_that_climb_out() {
        let tmp = tempfile::tempdir().unwrap();
        let s = Staging::new(&tmp.path().join("out")).unwrap();
        for bad in ["../x", "/etc/x", "a/../../x", "a\\b", ""] {
            assert!(s.write(bad, b"x").is_err(), "{bad}");
        }
    }
}
