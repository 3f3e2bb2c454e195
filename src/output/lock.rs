//! The lock that keeps two builds out of one output folder at once: an exclusive `flock` on
//! `.NAME.sanpi-lock` beside the output, held from the staging of the new site to its swap.
//!
//! The file is removed when the build ends, so that nothing is left beside the output. A
//! waiting build may then hold a lock on a file that is no longer there; it checks, once it
//! has the lock, that the path still names the file it locked, and starts again if not.

use std::fs::{self, File, OpenOptions};
use std::io;
use std::path::{Path, PathBuf};

/// A held lock; released (and its file removed) when dropped.
#[derive(Debug)]
pub(crate) struct Lock {
    path: PathBuf,
    #[allow(dead_code)] // held for its flock
    file: File,
}

impl Lock {
    /// Takes the lock at `path`, waiting for another build that holds it; `waiting` is
    /// called once if it has to wait. A symlink at `path` is never followed.
    pub(crate) fn acquire(path: &Path, mut waiting: impl FnMut()) -> io::Result<Lock> {
        let mut told = false;
        loop {
            let file = open_no_follow(path)?;
            if !imp::try_lock(&file)? {
                if !told {
                    waiting();
                    told = true;
                }
                imp::lock(&file)?;
            }
            if imp::same_file(&file, path) {
                return Ok(Lock {
                    path: path.to_path_buf(),
                    file,
                });
            }
            // The build that held it removed the file: lock the new one.
        }
    }
}

impl Drop for Lock {
    fn drop(&mut self) {
        // Removed while still held, so that no build can lock this file after it is gone.
        let _ = fs::remove_file(&self.path);
    }
}

fn open_no_follow(path: &Path) -> io::Result<File> {
    let mut o = OpenOptions::new();
    o.read(true).write(true).create(true).truncate(false);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        o.custom_flags(rustix::fs::OFlags::NOFOLLOW.bits() as i32);
    }
    o.open(path).map_err(|e| {
        if fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_symlink()) {
            io::Error::other(format!(
                "{} is a symbolic link; sanpi does not follow it",
                path.display()
            ))
        } else {
            e
        }
    })
}

#[cfg(unix)]
mod imp {
    use rustix::fs::{flock, FlockOperation};
    use std::fs::File;
    use std::io;
    use std::os::unix::fs::MetadataExt;
    use std::path::Path;

    pub(super) fn try_lock(f: &File) -> io::Result<bool> {
        match flock(f, FlockOperation::NonBlockingLockExclusive) {
            Ok(()) => Ok(true),
            Err(rustix::io::Errno::WOULDBLOCK) => Ok(false),
            Err(e) => Err(e.into()),
        }
    }

    pub(super) fn lock(f: &File) -> io::Result<()> {
        loop {
            match flock(f, FlockOperation::LockExclusive) {
                Err(rustix::io::Errno::INTR) => continue,
                r => return r.map_err(Into::into),
            }
        }
    }

    pub(super) fn same_file(f: &File, path: &Path) -> bool {
        match (f.metadata(), std::fs::symlink_metadata(path)) {
            (Ok(a), Ok(b)) => a.dev() == b.dev() && a.ino() == b.ino(),
            _ => false,
        }
    }
}

#[cfg(not(unix))]
mod imp {
    //! Without flock, the file's existence is the only guard: concurrent builds are not
    //! excluded on such systems.
    use std::fs::File;
    use std::io;
    use std::path::Path;

    pub fn try_lock(_: &File) -> io::Result<bool> {
        Ok(true)
    }
    pub fn lock(_: &File) -> io::Result<()> {
        Ok(())
    }
    pub fn same_file(_: &File, path: &Path) -> bool {
        path.exists()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::mpsc;
    use std::time::Duration;

    #[test]
    #[cfg(unix)]
    fn a_second_holder_waits_for_the_first() {
        let tmp = tempfile::tempdir().unwrap();
        let path = tmp.path().join(".out.sanpi-lock");
        let first = Lock::acquire(&path, || panic!("nothing to wait for")).unwrap();
        let (tx, rx) = mpsc::channel();
        let p = path.clone();
        let second = std::thread::spawn(move || {
            let mut waited = false;
            let lock = Lock::acquire(&p, || waited = true).unwrap();
            tx.send(()).unwrap();
            drop(lock);
            waited
        });
        // The second cannot get the lock while the first holds it, however long we look.
        assert!(rx.recv_timeout(Duration::from_millis(200)).is_err());
        drop(first);
        rx.recv_timeout(Duration::from_secs(60)).unwrap();
        assert!(second.join().unwrap(), "it said it was waiting");
        assert!(!path.exists(), "no lock file is left");
    }

    #[test]
    #[cfg(unix)]
    fn a_symlink_is_not_followed() {
        let tmp = tempfile::tempdir().unwrap();
        let victim = tmp.path().join("victim");
        fs::write(&victim, "precious").unwrap();
        let path = tmp.path().join(".out.sanpi-lock");
        std::os::unix::fs::symlink(&victim, &path).unwrap();
        assert!(Lock::acquire(&path, || {}).is_err());
        assert_eq!(fs::read_to_string(&victim).unwrap(), "precious");
    }
}
