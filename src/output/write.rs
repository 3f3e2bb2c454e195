//! Writing the output atomically: everything goes into a staging folder beside the output,
//! which replaces the output only once the whole site is written.

use std::fs;
use std::io;
use std::path::{Path, PathBuf};

/// Marks the staging and old folders beside the output, so that leftovers can be recognised.
const STAGING: &str = ".sanpi-staging-";
const OLD: &str = ".sanpi-old-";

/// A folder being filled with a new site.
pub struct Staging {
    dir: PathBuf,
    target: PathBuf,
    committed: bool,
}

fn sibling(target: &Path, marker: &str) -> PathBuf {
    let name = target
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "output".into());
    target.with_file_name(format!(".{name}{marker}{}", std::process::id()))
}

/// Removes staging and old folders that killed builds left beside `target`.
fn clear_leftovers(target: &Path) {
    let (Some(parent), Some(name)) = (target.parent(), target.file_name()) else {
        return;
    };
    let name = name.to_string_lossy();
    let Ok(entries) = fs::read_dir(if parent.as_os_str().is_empty() {
        Path::new(".")
    } else {
        parent
    }) else {
        return;
    };
    for e in entries.flatten() {
        let n = e.file_name().to_string_lossy().into_owned();
        let ours = [STAGING, OLD]
            .iter()
            .any(|m| n.starts_with(&format!(".{name}{m}")));
        if ours {
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
    /// Creates an empty staging folder for `target`.
    pub fn new(target: &Path) -> io::Result<Staging> {
        if let Some(parent) = target.parent().filter(|p| !p.as_os_str().is_empty()) {
            fs::create_dir_all(parent)?;
        }
        clear_leftovers(target);
        let dir = sibling(target, STAGING);
        fs::create_dir_all(&dir)?;
        Ok(Staging {
            dir,
            target: target.to_path_buf(),
            committed: false,
        })
    }

    /// Writes one file at `rel` (forward slashes) inside the staging folder.
    pub fn write(&self, rel: &str, bytes: &[u8]) -> io::Result<()> {
        let path = self.path_of(rel)?;
        if let Some(parent) = path.parent() {
            fs::create_dir_all(parent)?;
        }
        fs::write(path, bytes)
    }

    /// Copies `source` to `rel`.
    pub fn copy(&self, rel: &str, source: &Path) -> io::Result<()> {
        let path = self.path_of(rel)?;
        if let Some(parent) = path.parent() {
            fs::create_dir_all(parent)?;
        }
        fs::copy(source, path).map(|_| ())
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

    /// Puts the new site in place of the old one. On Linux the two folders are exchanged in
    /// one step (renameat2 with RENAME_EXCHANGE), so that at every instant the output is
    /// either the old site or the new one; elsewhere, two renames with a rollback.
    pub fn commit(mut self) -> io::Result<()> {
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
                // The staging path now holds the old site; a killed build leaves it for the
                // next one to clear.
                let _ = fs::remove_dir_all(&self.dir);
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
        if had_old {
            let _ = fs::remove_dir_all(&old);
        }
        Ok(())
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        if !self.committed {
            let _ = fs::remove_dir_all(&self.dir);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
    fn refuses_paths_that_climb_out() {
        let tmp = tempfile::tempdir().unwrap();
        let s = Staging::new(&tmp.path().join("out")).unwrap();
        for bad in ["../x", "/etc/x", "a/../../x", "a\\b", ""] {
            assert!(s.write(bad, b"x").is_err(), "{bad}");
        }
    }
}
