//! Writing the output atomically: everything goes into a staging folder beside the output,
//! which replaces the output only once the whole site is written.
//!
//! Deleting a site of ten thousand pages costs about as much as building it, so the previous
//! site is not deleted: it is kept beside the output as the *spare* (`.NAME.sanpi-spare`),
//! and the next build stages into it, overwriting every file and pruning what the new site
//! does not have. The output itself is only ever replaced whole, by exchanging it with the
//! spare. The whole of it runs under the output's lock (`lock.rs`), so that a second build
//! into the same folder waits instead of sharing the spare.

use super::lock::Lock;
use super::target::{self, Output, MARKER, MARKER_TEXT};
use crate::diagnostics::Diagnostic;
use std::collections::HashSet;
use std::fs::{self, File, OpenOptions};
use std::io;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

/// A folder being filled with a new site: the spare, under the output's lock.
pub(crate) struct Staging {
    dir: PathBuf,
    target: PathBuf,
    /// What the recycled spare held before this build: the files that were not written
    /// again are pruned at the end, and then the folders left empty.
    before: Option<(HashSet<String>, Vec<PathBuf>)>,
    written: Mutex<HashSet<String>>,
    /// The output was replaced with --force: its old contents become a spare like any other.
    forced: bool,
    _lock: Lock,
}

impl Staging {
    /// Takes the output's lock, checks again (now that no other build can change them)
    /// that the output and its spare may be replaced, and prepares the spare for staging.
    pub(crate) fn new(out: &Output) -> Result<Staging, Diagnostic> {
        let fail = |what: &str, e: io::Error| {
            Diagnostic::error(
                "",
                None,
                format!("cannot {what} {}: {e}", out.shown.display()),
            )
        };
        if let Some(parent) = out.real.parent() {
            fs::create_dir_all(parent).map_err(|e| fail("create the folder of", e))?;
        }
        let lock = Lock::acquire(&out.lock(), || {
            crate::terminal::tell(format_args!(
                "note: waiting for another build into {} to finish",
                out.shown.display()
            ))
        })
        .map_err(|e| {
            use io::ErrorKind::{NotFound, PermissionDenied, ReadOnlyFilesystem};
            match (e.kind(), out.real.parent()) {
                // The lock is the first file made beside the output (under /proc, /sys, a
                // read-only mount): say what the user asked for cannot be made.
                (NotFound | PermissionDenied | ReadOnlyFilesystem, Some(parent)) => {
                    Diagnostic::error(
                        "",
                        None,
                        format!(
                            "cannot create the output folder {}: {} takes no new files ({e})",
                            out.shown.display(),
                            parent.display()
                        ),
                    )
                    .with_hint("choose an output folder on a disk you can write to, with --output")
                }
                _ => fail("lock", e),
            }
        })?;
        target::replaceable(&out.real, &out.shown, "--output", out.force)?;
        let dir = out.spare();
        target::replaceable(&dir, &dir, "spare folder", out.force)?;
        let before = if dir.is_dir() {
            Some(clean_spare(&dir).map_err(|e| fail("recycle the spare folder of", e))?)
        } else {
            fs::create_dir(&dir).map_err(|e| fail("create the staging folder of", e))?;
            None
        };
        let staging = Staging {
            dir,
            target: out.real.clone(),
            before,
            written: Mutex::new(HashSet::new()),
            forced: out.force,
            _lock: lock,
        };
        // Marked first, so that a build killed from here on leaves a spare sanpi knows.
        staging
            .write(MARKER, MARKER_TEXT)
            .map_err(|e| fail("mark the staging folder of", e))?;
        Ok(staging)
    }

    /// Writes one file at `rel` (forward slashes) inside the staging folder. A file the
    /// recycled spare already holds with exactly these bytes is left as it is.
    pub(crate) fn write(&self, rel: &str, bytes: &[u8]) -> io::Result<()> {
        use std::io::Write;
        if self.holds(rel, bytes.len() as u64, |f| same_bytes(f, &mut &bytes[..])) {
            return Ok(());
        }
        self.create(rel)?.write_all(bytes)
    }

    /// Copies `source` to `rel`, unless the recycled spare already holds the same bytes.
    pub(crate) fn copy(&self, rel: &str, source: &Path) -> io::Result<()> {
        let mut from = File::open(source)?;
        let len = from.metadata()?.len();
        if self.holds(rel, len, |f| same_bytes(f, &mut from)) {
            return Ok(());
        }
        let mut from = File::open(source)?;
        io::copy(&mut from, &mut self.create(rel)?).map(|_| ())
    }

    /// Puts the plain file `from` (a real path, in the output this staging folder replaces)
    /// at `rel` as another name for it: a hard link, so that a file the last build wrote and
    /// this one would write again with the same bytes costs no copy. Nothing writes into a
    /// file in place (see [`new_file`]), so the output, its spare and a hard-link backup of
    /// either keep their bytes. True when `rel` now is that file; false when it could not be
    /// linked here (another file system, no hard links, not a plain file, a link on the way):
    /// the caller then writes the bytes.
    pub(crate) fn link(&self, rel: &str, from: &Path) -> io::Result<bool> {
        #[cfg(unix)]
        {
            use std::os::unix::fs::MetadataExt;
            let Some(source) = open_plain(from) else {
                return Ok(false);
            };
            let Ok(meta) = source.metadata() else {
                return Ok(false);
            };
            let path = self.path_of(rel)?;
            let same =
                |m: &fs::Metadata| m.is_file() && m.dev() == meta.dev() && m.ino() == meta.ino();
            let spare_has = self
                .before
                .as_ref()
                .is_some_and(|(files, _)| files.contains(rel));
            if !(spare_has && fs::symlink_metadata(&path).is_ok_and(|m| same(&m))) {
                if let Some(parent) = path.parent() {
                    fs::create_dir_all(parent)?;
                }
                unlink(&path)?;
                // linkat(2) without AT_SYMLINK_FOLLOW never follows a link at `from`; a file
                // swapped in there since it was opened is told by its inode below.
                if fs::hard_link(from, &path).is_err() {
                    return Ok(false);
                }
                if !fs::symlink_metadata(&path).is_ok_and(|m| same(&m)) {
                    fs::remove_file(&path)?;
                    return Ok(false);
                }
            }
            self.written
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .insert(rel.to_string());
            Ok(true)
        }
        #[cfg(not(unix))]
        {
            let _ = (rel, from);
            Ok(false)
        }
    }

    /// Whether the recycled spare holds a plain file at `rel` of `len` bytes that `same`
    /// finds equal to the new ones; if so, it counts as written. Most files of a site built
    /// again are the same as two builds ago: reading them is cheaper than writing them, and
    /// leaves their modification times alone. Sizes are compared first, then bytes.
    fn holds(&self, rel: &str, len: u64, same: impl FnOnce(&mut File) -> bool) -> bool {
        let Some((files, _)) = &self.before else {
            return false;
        };
        if !files.contains(rel) {
            return false;
        }
        let Ok(path) = self.path_of(rel) else {
            return false;
        };
        let mut o = OpenOptions::new();
        o.read(true);
        #[cfg(unix)]
        {
            use std::os::unix::fs::OpenOptionsExt;
            o.custom_flags(rustix::fs::OFlags::NOFOLLOW.bits() as i32);
        }
        let Ok(mut f) = o.open(path) else {
            return false;
        };
        let plain = f.metadata().is_ok_and(|m| m.is_file() && m.len() == len);
        if !(plain && same(&mut f)) {
            return false;
        }
        self.written
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .insert(rel.to_string());
        true
    }

    /// Creates the file at `rel` as a new file (see [`new_file`]).
    fn create(&self, rel: &str) -> io::Result<File> {
        let path = self.path_of(rel)?;
        if let Some(parent) = path.parent() {
            fs::create_dir_all(parent)?;
        }
        self.written
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .insert(rel.to_string());
        new_file(&path)
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
        let Some((files, dirs)) = &self.before else {
            return Ok(());
        };
        let written = self.written.lock().unwrap_or_else(|e| e.into_inner());
        for rel in files.iter().filter(|f| !written.contains(*f)) {
            fs::remove_file(self.dir.join(rel))?;
        }
        // Listed parents first: the deepest go first when walked backwards.
        for d in dirs.iter().rev() {
            if fs::read_dir(d)?.next().is_none() {
                fs::remove_dir(d)?;
            }
        }
        Ok(())
    }

    /// Puts the new site in place of the old one, and keeps the old one as the spare. On
    /// Linux the two folders are exchanged in one step (renameat2 with RENAME_EXCHANGE), so
    /// that at every instant the output is either the old site or the new one. Returns the
    /// digest of the new site (`digest::tree`), taken just before the swap, under the lock.
    pub(crate) fn commit(self) -> io::Result<u128> {
        self.prune()?;
        let digest = super::digest::tree(&self.dir)?;
        if self.target.is_dir() {
            exchange(&self.dir, &self.target)?;
            if self.forced {
                // What --force replaced is the spare now, to be recycled like any other.
                use std::io::Write;
                new_file(&self.dir.join(MARKER))?.write_all(MARKER_TEXT)?;
            }
        } else {
            fs::rename(&self.dir, &self.target)?;
        }
        Ok(digest)
    }
}

/// Creates `path` as a new file for writing, never through a symbolic link. A file already
/// there is unlinked first, never truncated and rewritten: another name for its bytes (a
/// backup made with `cp -al`, `rsync --link-dest` or rsnapshot shares the inodes of the
/// output and its spare) keeps them as they were.
pub(crate) fn new_file(path: &Path) -> io::Result<File> {
    unlink(path)?;
    let mut o = OpenOptions::new();
    o.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        o.custom_flags(rustix::fs::OFlags::NOFOLLOW.bits() as i32);
    }
    o.open(path)
}

/// Removes the name `path` when it is there (never what a link there points to).
fn unlink(path: &Path) -> io::Result<()> {
    match fs::remove_file(path) {
        Err(e) if e.kind() != io::ErrorKind::NotFound => Err(e),
        _ => Ok(()),
    }
}

/// Opens the plain file at `path` for reading, following no symbolic link, at the file or
/// at a folder on the way to it (`path`'s folder must be its own real path); None otherwise.
pub(crate) fn open_plain(path: &Path) -> Option<File> {
    // One call where the kernel has it (Linux 5.6): no link anywhere on the way. Else the
    // folder's real path is compared with the one given, then the file opened.
    #[cfg(target_os = "linux")]
    {
        use rustix::fs::{openat2, Mode, OFlags, ResolveFlags, CWD};
        use rustix::io::Errno;
        let how = OFlags::RDONLY | OFlags::CLOEXEC | OFlags::NOFOLLOW;
        match openat2(CWD, path, how, Mode::empty(), ResolveFlags::NO_SYMLINKS) {
            Ok(fd) => {
                let f = File::from(fd);
                return f.metadata().ok()?.is_file().then_some(f);
            }
            // Not in this kernel, or refused by a sandbox's filter.
            Err(Errno::NOSYS | Errno::PERM | Errno::INVAL) => {}
            Err(_) => return None,
        }
    }
    let parent = path.parent()?;
    if fs::canonicalize(parent).ok()? != parent {
        return None;
    }
    let mut o = OpenOptions::new();
    o.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        o.custom_flags(rustix::fs::OFlags::NOFOLLOW.bits() as i32);
    }
    let f = o.open(path).ok()?;
    f.metadata().ok()?.is_file().then_some(f)
}

/// Whether `a` and `b` hold the same bytes, read to their ends in blocks.
fn same_bytes(a: &mut impl io::Read, b: &mut impl io::Read) -> bool {
    let (mut x, mut y) = ([0u8; 16 * 1024], [0u8; 16 * 1024]);
    loop {
        let n = match fill(a, &mut x) {
            Ok(n) => n,
            Err(_) => return false,
        };
        let m = match fill(b, &mut y) {
            Ok(m) => m,
            Err(_) => return false,
        };
        if n != m || x[..n] != y[..m] {
            return false;
        }
        if n < x.len() {
            return true;
        }
    }
}

/// Reads until `buf` is full or the end is reached; how many bytes were read.
fn fill(r: &mut impl io::Read, buf: &mut [u8]) -> io::Result<usize> {
    let mut n = 0;
    while n < buf.len() {
        match r.read(&mut buf[n..]) {
            Ok(0) => break,
            Ok(k) => n += k,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(n)
}

/// Prepares a recycled spare: removes whatever sanpi never writes (symbolic links, sockets,
/// pipes), so that no write can be led outside it, and lists its files and folders.
fn clean_spare(dir: &Path) -> io::Result<(HashSet<String>, Vec<PathBuf>)> {
    let mut files = HashSet::new();
    let mut dirs = Vec::new();
    for e in walkdir::WalkDir::new(dir).min_depth(1) {
        let e = e.map_err(io::Error::other)?;
        let t = e.file_type();
        if t.is_dir() {
            dirs.push(e.into_path());
        } else if t.is_file() {
            let rel = e.path().strip_prefix(dir).unwrap_or(e.path());
            files.insert(rel.to_string_lossy().replace('\\', "/"));
        } else {
            fs::remove_file(e.path())?;
        }
    }
    Ok((files, dirs))
}

/// Exchanges two folders in one step.
#[cfg(target_os = "linux")]
fn exchange(a: &Path, b: &Path) -> io::Result<()> {
    use rustix::fs::{renameat_with, RenameFlags, CWD};
    renameat_with(CWD, a, CWD, b, RenameFlags::EXCHANGE).map_err(Into::into)
}

/// Exchanges two folders with three renames, through a name inside the new site that no
/// page can take: there is a moment with no output, which Linux's exchange avoids.
#[cfg(not(target_os = "linux"))]
fn exchange(a: &Path, b: &Path) -> io::Result<()> {
    let parked = a.join(".sanpi-previous");
    fs::rename(b, &parked)?;
    if let Err(e) = fs::rename(a, b) {
        let _ = fs::rename(&parked, b);
        return Err(e);
    }
    fs::rename(b.join(".sanpi-previous"), a)
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
            .filter(|f| f != MARKER)
            .collect();
        v.sort();
        v
    }

    fn output(p: &Path) -> Output {
        Output {
            shown: p.to_path_buf(),
            real: target::resolve(p).unwrap(),
            force: false,
        }
    }

    #[test]
    fn commit_replaces_and_drop_keeps_the_old_site() {
        let tmp = tempfile::tempdir().unwrap();
        let out = output(&tmp.path().join("out"));
        let s = Staging::new(&out).unwrap();
        s.write("a/index.html", b"1").unwrap();
        s.commit().unwrap();
        assert_eq!(fs::read(out.real.join("a/index.html")).unwrap(), b"1");
        assert!(target::is_marked(&out.real));

        let s = Staging::new(&out).unwrap();
        s.write("b.txt", b"2").unwrap();
        drop(s);
        assert!(out.real.join("a/index.html").is_file() && !out.real.join("b.txt").exists());
        let beside: Vec<_> = fs::read_dir(tmp.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        assert_eq!(beside.len(), 2, "the output and its spare only: {beside:?}");
    }

    #[test]
    fn the_previous_site_is_recycled_and_pruned() {
        let tmp = tempfile::tempdir().unwrap();
        let out = output(&tmp.path().join("out"));
        for (files_to_write, content) in [
            (vec!["a/index.html", "b/index.html", "x.css"], "1"),
            (vec!["a/index.html", "c/d/index.html"], "2"),
            (vec!["a/index.html"], "3"),
            (vec!["e/f/g/index.html", "a/index.html"], "4"),
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
                assert_eq!(fs::read_to_string(out.real.join(f)).unwrap(), content);
            }
            want.sort();
            want.dedup();
            assert_eq!(files(&out.real), want, "exactly the new site");
        }
        assert!(out.spare().is_dir(), "the previous site waits as the spare");
    }

    /// An again-build leaves a file the spare already holds with the same bytes alone
    /// (its inode and modification time), and rewrites one that changed, shrank or grew.
    #[test]
    #[cfg(unix)]
    fn identical_files_in_the_spare_are_left_alone_and_changed_ones_rewritten() {
        use std::os::unix::fs::MetadataExt;
        use std::time::{Duration, SystemTime};
        let tmp = tempfile::tempdir().unwrap();
        let out = output(&tmp.path().join("out"));
        let source = tmp.path().join("static.css");
        let first: [(&str, &[u8]); 5] = [
            ("same.html", b"unchanged page"),
            ("changed.html", b"old text"),
            ("shrunk.html", b"a longer text"),
            ("grown.html", b"short"),
            ("static.css", b"body{}"),
        ];
        let build = |files: &[(&str, &[u8])]| {
            let s = Staging::new(&out).unwrap();
            for (f, bytes) in files {
                if *f == "static.css" {
                    fs::write(&source, bytes).unwrap();
                    s.copy(f, &source).unwrap();
                } else {
                    s.write(f, bytes).unwrap();
                }
            }
            s.commit().unwrap();
        };
        build(&first);
        build(&first);
        // The spare now holds the first build's files: date them back, and note them.
        let old = SystemTime::UNIX_EPOCH + Duration::from_secs(1_000_000_000);
        let before: Vec<(u64, u64)> = first
            .iter()
            .map(|(f, _)| {
                let path = out.spare().join(f);
                File::options()
                    .write(true)
                    .open(&path)
                    .unwrap()
                    .set_modified(old)
                    .unwrap();
                let m = fs::metadata(&path).unwrap();
                (m.ino(), m.mtime() as u64)
            })
            .collect();
        let second: [(&str, &[u8]); 5] = [
            ("same.html", b"unchanged page"),
            ("changed.html", b"new text"),
            ("shrunk.html", b"a longer"),
            ("grown.html", b"short, now longer"),
            ("static.css", b"body{}"),
        ];
        build(&second);
        for ((f, bytes), (ino, mtime)) in second.iter().zip(before) {
            let m = fs::metadata(out.real.join(f)).unwrap();
            assert_eq!(fs::read(out.real.join(f)).unwrap(), *bytes, "{f}");
            let left = m.ino() == ino && m.mtime() as u64 == mtime;
            let want = matches!(*f, "same.html" | "static.css");
            assert_eq!(left, want, "{f} left alone");
            assert_eq!(m.modified().unwrap() == old, want, "{f} modified");
        }
        assert_eq!(
            files(&out.real),
            vec![
                "changed.html",
                "grown.html",
                "same.html",
                "shrunk.html",
                "static.css"
            ]
        );
    }

    /// A file of the output staged again by a hard link: the same inode, counted as written
    /// (not pruned); a second build linking the same file again leaves the spare's name as
    /// it is; a source that is a link, under a linked folder, or not a plain file is not
    /// linked (the caller writes the bytes instead).
    #[test]
    #[cfg(unix)]
    fn files_of_the_output_are_staged_by_hard_links_and_only_plain_ones() {
        use std::os::unix::fs::{symlink, MetadataExt};
        let tmp = tempfile::tempdir().unwrap();
        let out = output(&tmp.path().join("out"));
        let build = |links: &[&str], writes: &[(&str, &[u8])]| {
            let s = Staging::new(&out).unwrap();
            let real = out.real.clone();
            let linked: Vec<bool> = links
                .iter()
                .map(|f| s.link(f, &real.join(f)).unwrap())
                .collect();
            for (f, b) in writes {
                s.write(f, b).unwrap();
            }
            s.commit().unwrap();
            linked
        };
        build(&[], &[("a/index.html", b"a"), ("b.html", b"b")]);
        let ino = |p: &Path| fs::symlink_metadata(p).unwrap().ino();
        let a = ino(&out.real.join("a/index.html"));
        assert_eq!(build(&["a/index.html"], &[("b.html", b"b2")]), [true]);
        assert_eq!(ino(&out.real.join("a/index.html")), a, "the same file");
        assert_eq!(fs::read(out.real.join("b.html")).unwrap(), b"b2");
        assert_eq!(files(&out.real), ["a", "a/index.html", "b.html"]);
        // The spare (the first site) shares the file: linking it again changes nothing there.
        let ctime = fs::metadata(out.spare().join("a/index.html"))
            .unwrap()
            .ctime_nsec();
        assert_eq!(build(&["a/index.html"], &[("b.html", b"b3")]), [true]);
        assert_eq!(ino(&out.real.join("a/index.html")), a);
        assert_eq!(
            fs::metadata(out.real.join("a/index.html"))
                .unwrap()
                .ctime_nsec(),
            ctime
        );
        // Planted in the output: a link to a file outside, and a folder that is a link.
        let victim = tmp.path().join("victim");
        fs::create_dir(&victim).unwrap();
        fs::write(victim.join("secret.html"), "secret").unwrap();
        symlink(victim.join("secret.html"), out.real.join("c.html")).unwrap();
        symlink(&victim, out.real.join("d")).unwrap();
        fs::create_dir(out.real.join("e")).unwrap();
        let got = build(
            &["c.html", "d/secret.html", "e", "missing.html"],
            &[("b.html", b"b4")],
        );
        assert_eq!(got, [false, false, false, false]);
        for f in ["c.html", "d", "e", "missing.html"] {
            assert!(fs::symlink_metadata(out.real.join(f)).is_err(), "{f}");
        }
        assert_eq!(
            fs::read_to_string(victim.join("secret.html")).unwrap(),
            "secret"
        );
    }

    #[test]
    fn same_bytes_compares_to_the_end() {
        for (a, b, same) in [
            (&b""[..], &b""[..], true),
            (b"abc", b"abc", true),
            (b"abc", b"abd", false),
            (b"abc", b"ab", false),
            (b"ab", b"abc", false),
        ] {
            assert_eq!(same_bytes(&mut &a[..], &mut &b[..]), same);
        }
        let big: Vec<u8> = (0..100_000u32).map(|i| (i % 251) as u8).collect();
        let mut other = big.clone();
        assert!(same_bytes(&mut &big[..], &mut &other[..]));
        other[70_000] ^= 1;
        assert!(!same_bytes(&mut &big[..], &mut &other[..]));
        assert!(!same_bytes(&mut &big[..], &mut &big[..99_999]));
    }

    #[test]
    fn refuses_paths_that_climb_out() {
        let tmp = tempfile::tempdir().unwrap();
        let s = Staging::new(&output(&tmp.path().join("out"))).unwrap();
        for bad in ["../x", "/etc/x", "a/../../x", "a\\b", ""] {
            assert!(s.write(bad, b"x").is_err(), "{bad}");
        }
    }

    #[test]
    #[cfg(unix)]
    fn links_planted_in_the_spare_are_removed_not_followed() {
        use std::os::unix::fs::symlink;
        let tmp = tempfile::tempdir().unwrap();
        let victim = tmp.path().join("victim");
        fs::create_dir(&victim).unwrap();
        fs::write(victim.join("index.html"), "precious").unwrap();
        let out = output(&tmp.path().join("out"));
        for _ in 0..2 {
            let s = Staging::new(&out).unwrap();
            s.write("index.html", b"site").unwrap();
            s.write("p/index.html", b"page").unwrap();
            s.commit().unwrap();
        }
        // The spare now holds the first site: plant links where the next build writes.
        let spare = out.spare();
        fs::remove_file(spare.join("index.html")).unwrap();
        symlink(victim.join("index.html"), spare.join("index.html")).unwrap();
        fs::remove_dir_all(spare.join("p")).unwrap();
        symlink(&victim, spare.join("p")).unwrap();
        let s = Staging::new(&out).unwrap();
        s.write("index.html", b"new").unwrap();
        s.write("p/index.html", b"new").unwrap();
        s.commit().unwrap();
        assert_eq!(
            fs::read_to_string(victim.join("index.html")).unwrap(),
            "precious"
        );
        assert_eq!(fs::read_dir(&victim).unwrap().count(), 1);
        assert_eq!(
            fs::read_to_string(out.real.join("p/index.html")).unwrap(),
            "new"
        );
    }
}
