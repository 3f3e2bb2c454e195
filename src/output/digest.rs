//! A digest of a folder as the file system keeps it: every entry's path and type, and each
//! file's or link's length, modification and change times and inode. A build takes it of its
//! staging folder just before the swap (under the output's lock), so that a later build can
//! tell, by taking it again, that the output is still exactly what that build wrote: no file
//! written since, none added, removed or replaced. The change time (ctime) is set by the
//! kernel on every write, so that no one can make an edited file look untouched.

use rayon::prelude::*;
use siphasher::sip128::{Hasher128, SipHasher13};
use std::ffi::OsString;
use std::fs;
use std::hash::Hasher;
use std::io;
use std::path::Path;

/// The digest of the tree at `dir` (not following symbolic links). Each folder's entries
/// are taken in the order of their names and hashed on every core (at 100,000 projects the
/// output holds 229,000 files, and taking it one entry after another cost about 2 s), each
/// entry its name, type and identity, a folder's the digest of its own entries.
pub(crate) fn tree(dir: &Path) -> io::Result<u128> {
    folder(dir)
}

/// The digest of the entries of the folder `dir`.
fn folder(dir: &Path) -> io::Result<u128> {
    let mut names: Vec<OsString> = fs::read_dir(dir)?
        .map(|e| e.map(|e| e.file_name()))
        .collect::<io::Result<_>>()?;
    names.sort();
    let entries: Vec<u128> = names
        .par_iter()
        .map(|name| entry(&dir.join(name), name))
        .collect::<io::Result<_>>()?;
    let mut h = SipHasher13::new();
    h.write_usize(entries.len());
    for e in entries {
        h.write_u128(e);
    }
    Ok(h.finish128().as_u128())
}

/// The digest of one entry: its name, its type, and a file's or link's length, modification
/// and change times and inode, or a folder's entries.
fn entry(path: &Path, name: &OsString) -> io::Result<u128> {
    let mut h = SipHasher13::new();
    h.write(name.as_encoded_bytes());
    h.write_u8(0);
    let m = path.symlink_metadata()?;
    let t = m.file_type();
    h.write_u8(if t.is_dir() {
        1
    } else if t.is_symlink() {
        2
    } else if t.is_file() {
        3
    } else {
        4
    });
    if t.is_dir() {
        h.write_u128(folder(path)?);
        return Ok(h.finish128().as_u128());
    }
    h.write_u64(m.len());
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        h.write_i64(m.mtime());
        h.write_i64(m.mtime_nsec());
        h.write_i64(m.ctime());
        h.write_i64(m.ctime_nsec());
        h.write_u64(m.ino());
        h.write_u64(m.dev());
    }
    #[cfg(not(unix))]
    if let Ok(t) = m.modified() {
        let d = t.duration_since(std::time::UNIX_EPOCH).unwrap_or_default();
        h.write_u128(d.as_nanos());
    }
    Ok(h.finish128().as_u128())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::fs;

    #[test]
    fn any_change_to_the_tree_changes_its_digest() {
        let tmp = tempfile::tempdir().unwrap();
        let d = tmp.path();
        fs::create_dir(d.join("a")).unwrap();
        fs::write(d.join("a/x.html"), "one").unwrap();
        let first = tree(d).unwrap();
        assert_eq!(first, tree(d).unwrap(), "the same tree, the same digest");
        // Rewritten with the same bytes: a new change time.
        std::thread::sleep(std::time::Duration::from_millis(20));
        fs::write(d.join("a/x.html"), "one").unwrap();
        let rewritten = tree(d).unwrap();
        assert_ne!(first, rewritten);
        fs::write(d.join("a/y.html"), "").unwrap();
        let added = tree(d).unwrap();
        assert_ne!(rewritten, added);
        fs::remove_file(d.join("a/y.html")).unwrap();
        assert_eq!(
            tree(d).unwrap(),
            rewritten,
            "removing what was added restores it"
        );
        fs::rename(d.join("a/x.html"), d.join("a/z.html")).unwrap();
        let renamed = tree(d).unwrap();
        assert_ne!(renamed, rewritten);
        // Moved to another folder, the same file (its inode and times) and name.
        fs::create_dir(d.join("b")).unwrap();
        let with_b = tree(d).unwrap();
        assert_ne!(with_b, renamed, "an empty folder counts");
        fs::rename(d.join("a/z.html"), d.join("b/z.html")).unwrap();
        assert_ne!(tree(d).unwrap(), with_b);
        // A file replaced by a link of the same name, a folder by a file.
        fs::rename(d.join("b/z.html"), d.join("a/z.html")).unwrap();
        let back = tree(d).unwrap();
        #[cfg(unix)]
        {
            fs::remove_file(d.join("a/z.html")).unwrap();
            std::os::unix::fs::symlink("elsewhere", d.join("a/z.html")).unwrap();
            assert_ne!(tree(d).unwrap(), back);
        }
        fs::remove_dir(d.join("b")).unwrap();
        let no_b = tree(d).unwrap();
        fs::write(d.join("b"), "").unwrap();
        assert_ne!(tree(d).unwrap(), no_b);
    }
}
