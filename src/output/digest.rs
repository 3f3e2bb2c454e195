//! A digest of a folder as the file system keeps it: every entry's path and type, and each
//! file's or link's length, modification and change times and inode. A build takes it of its
//! staging folder just before the swap (under the output's lock), so that a later build can
//! tell, by taking it again, that the output is still exactly what that build wrote: no file
//! written since, none added, removed or replaced. The change time (ctime) is set by the
//! kernel on every write, so that no one can make an edited file look untouched.

use siphasher::sip128::{Hasher128, SipHasher13};
use std::hash::Hasher;
use std::io;
use std::path::Path;

/// The digest of the tree at `dir` (not following symbolic links).
pub(crate) fn tree(dir: &Path) -> io::Result<u128> {
    let mut h = SipHasher13::new();
    for entry in walkdir::WalkDir::new(dir)
        .follow_links(false)
        .sort_by_file_name()
        .min_depth(1)
    {
        let entry = entry.map_err(io::Error::other)?;
        let rel = entry.path().strip_prefix(dir).unwrap_or(entry.path());
        h.write(rel.as_os_str().as_encoded_bytes());
        h.write_u8(0);
        let m = entry.path().symlink_metadata()?;
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
            continue;
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
        assert_ne!(tree(d).unwrap(), rewritten);
    }
}
