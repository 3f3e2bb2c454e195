//! The output folder is sanpi's alone (issue 12, items 1–5): what `build` may replace, where
//! symlinks and `..` really lead, concurrent builds, and the spare beside the output. Each
//! test runs the binary as a user would, and checks that nothing outside the output moved.

mod common;

use common::*;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn sanpi(cwd: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_sanpi"))
        .current_dir(cwd)
        .args(args)
        .output()
        .unwrap()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn s(p: &Path) -> &str {
    p.to_str().unwrap()
}

/// Names in `dir`, sorted.
fn names(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> = fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    v.sort();
    v
}

/// A folder of someone else's files: a web root with an index page and photos.
fn foreign(dir: &Path) -> Vec<(String, Vec<u8>)> {
    fs::create_dir_all(dir.join("photos")).unwrap();
    fs::write(dir.join("index.html"), "<p>my home page</p>").unwrap();
    fs::write(dir.join("photos/precious.jpg"), "jpeg").unwrap();
    tree(dir)
}

#[test]
#[cfg(unix)]
fn an_output_that_is_a_symlink_stays_one_and_leads_to_the_new_site() {
    let (tmp, root) = fixture("basic");
    let www = tmp.path().join("www");
    fs::create_dir(&www).unwrap();
    let link = tmp.path().join("LINK");
    std::os::unix::fs::symlink("www", &link).unwrap();
    for round in 0..3 {
        let o = sanpi(tmp.path(), &["build", s(&root), "-o", "LINK"]);
        assert!(o.status.success(), "round {round}: {}", stderr(&o));
        assert!(fs::symlink_metadata(&link)
            .unwrap()
            .file_type()
            .is_symlink());
        assert_eq!(fs::read_link(&link).unwrap(), PathBuf::from("www"));
        assert!(www.join("index.html").is_file() && www.join(".sanpi-output").is_file());
        // The spare and the lock go beside the real folder, not beside the link.
        assert_eq!(
            names(tmp.path()),
            vec![".www.sanpi-spare", "LINK", "site", "www"],
            "round {round}"
        );
    }
    // A link to a folder of someone else's files is refused, and nothing in it moves.
    let other = tmp.path().join("other");
    let before = foreign(&other);
    fs::remove_file(&link).unwrap();
    std::os::unix::fs::symlink(&other, &link).unwrap();
    for _ in 0..2 {
        let o = sanpi(tmp.path(), &["build", s(&root), "-o", "LINK"]);
        assert_eq!(o.status.code(), Some(1));
        assert!(
            stderr(&o).contains("was not written by sanpi"),
            "{}",
            stderr(&o)
        );
        assert_eq!(tree(&other), before);
    }
}

#[test]
fn a_folder_with_an_index_html_is_not_taken_for_a_site() {
    let (tmp, root) = fixture("basic");
    let www = tmp.path().join("www");
    let before = foreign(&www);
    for _ in 0..2 {
        let o = sanpi(tmp.path(), &["build", s(&root), "-o", s(&www)]);
        assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
        let err = stderr(&o);
        assert!(err.starts_with("error: "), "{err}");
        assert!(err.contains(s(&www)) && err.contains("--force"), "{err}");
        assert_eq!(tree(&www), before);
        assert_eq!(names(tmp.path()), vec!["site", "www"], "nothing beside it");
    }
    // --force replaces it for those who mean it; from then on the folder is sanpi's.
    let o = sanpi(tmp.path(), &["build", s(&root), "-o", s(&www), "--force"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(!www.join("photos").exists() && www.join(".sanpi-output").is_file());
    // The next build that writes recycles what --force replaced.
    edit(&root, "content/projects/alpha.md", "10.5", "10.6");
    let o = sanpi(tmp.path(), &["build", s(&root), "-o", s(&www)]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(!tmp.path().join(".www.sanpi-spare/photos").exists());
}

#[test]
fn an_unmarked_site_of_an_earlier_sanpi_gets_its_own_message() {
    let (tmp, root) = fixture("basic");
    let out = tmp.path().join("out");
    let o = sanpi(tmp.path(), &["build", s(&root), "-o", s(&out)]);
    assert!(o.status.success(), "{}", stderr(&o));
    fs::remove_file(out.join(".sanpi-output")).unwrap();
    let before = tree(&out);
    let o = sanpi(tmp.path(), &["build", s(&root), "-o", s(&out)]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("earlier sanpi"), "{}", stderr(&o));
    assert_eq!(tree(&out), before);
}

#[test]
#[cfg(unix)]
fn dot_dot_and_symlinks_cannot_lead_the_output_into_the_site() {
    let (tmp, root) = fixture("basic");
    let parent = tmp.path();
    let p = parent.file_name().unwrap().to_str().unwrap().to_string();
    fs::write(root.join("index.html"), "x").unwrap();
    std::os::unix::fs::symlink(root.join("content/static"), parent.join("st")).unwrap();
    let content = tree(&root);
    for out in [
        format!("../{p}/site/content/static/out"),
        "st/out".to_string(),
        format!("../{p}/site"),
        format!("../{p}/site/content/.."),
        "site/themes/x".to_string(),
        ".".to_string(),
    ] {
        let o = sanpi(parent, &["build", "site", "-o", &out]);
        assert_eq!(o.status.code(), Some(1), "-o {out}: {}", stderr(&o));
        assert!(stderr(&o).starts_with("error: "), "{}", stderr(&o));
        assert_eq!(tree(&root), content, "-o {out}");
        assert_eq!(names(parent), vec!["site", "st"], "-o {out}");
    }
}

#[test]
#[cfg(unix)]
fn a_spare_that_is_a_symlink_is_never_followed() {
    let (tmp, root) = fixture("basic");
    let out = tmp.path().join("out");
    assert!(sanpi(tmp.path(), &["build", s(&root), "-o", "out"])
        .status
        .success());
    let victim = tmp.path().join("victim");
    let kept = foreign(&victim);
    let spare = tmp.path().join(".out.sanpi-spare");
    std::os::unix::fs::symlink(&victim, &spare).unwrap();
    let site = tree(&out);
    let o = sanpi(tmp.path(), &["build", s(&root), "-o", "out"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("symbolic link"), "{}", stderr(&o));
    assert_eq!(tree(&victim), kept);
    assert_eq!(tree(&out), site);
    // A spare that is a real folder of someone else's files is refused too.
    fs::remove_file(&spare).unwrap();
    foreign(&spare);
    let o = sanpi(tmp.path(), &["build", s(&root), "-o", "out"]);
    assert_eq!(o.status.code(), Some(1));
    assert_eq!(tree(&spare), kept);
}

#[test]
fn concurrent_builds_into_one_output_each_swap_in_a_whole_site() {
    let (tmp, root_a) = fixture("basic");
    let root_b = tmp.path().join("site-b");
    copy_dir(&root_a, &root_b);
    edit(&root_b, "content/site.yaml", "title:", "title: 第二版");
    let reference = |root: &Path, name: &str| {
        let o = sanpi(tmp.path(), &["build", s(root), "-o", name]);
        assert!(o.status.success(), "{}", stderr(&o));
        tree(&tmp.path().join(name))
    };
    let (a, b) = (reference(&root_a, "ref-a"), reference(&root_b, "ref-b"));
    assert_ne!(a, b);
    let out = tmp.path().join("out");
    for round in 0..6 {
        let spawn = |root: &Path| {
            Command::new(env!("CARGO_BIN_EXE_sanpi"))
                .args(["build", s(root), "-o", s(&out)])
                .output()
        };
        let (ra, rb) = std::thread::scope(|sc| {
            let ta = sc.spawn(|| spawn(&root_a).unwrap());
            let tb = sc.spawn(|| spawn(&root_b).unwrap());
            (ta.join().unwrap(), tb.join().unwrap())
        });
        assert!(ra.status.success(), "round {round}: {}", stderr(&ra));
        assert!(rb.status.success(), "round {round}: {}", stderr(&rb));
        let now = tree(&out);
        assert!(now == a || now == b, "round {round}: not one whole site");
        let beside: Vec<String> = names(tmp.path())
            .into_iter()
            .filter(|n| n.starts_with(".out"))
            .collect();
        assert_eq!(beside, vec![".out.sanpi-spare"], "round {round}");
    }
}

/// Every file under `dir`, hard-linked into `snap` as `cp -al` (rsnapshot, `rsync
/// --link-dest`) does: the backup shares the output's inodes.
fn link_tree(dir: &Path, snap: &Path) {
    for e in walkdir::WalkDir::new(dir) {
        let e = e.unwrap();
        let to = snap.join(e.path().strip_prefix(dir).unwrap());
        if e.file_type().is_dir() {
            fs::create_dir_all(&to).unwrap();
        } else {
            fs::hard_link(e.path(), &to).unwrap();
        }
    }
}

#[test]
fn hard_link_backups_of_the_output_keep_their_bytes() {
    let (tmp, root) = fixture("basic");
    let out = tmp.path().join("out");
    let build = || {
        let o = sanpi(&root, &["build", ".", "-o", s(&out)]);
        assert!(o.status.success(), "{}", stderr(&o));
    };
    build();
    let snap = tmp.path().join("snap");
    link_tree(&out, &snap);
    let before = tree(&snap);
    // Two builds with changes: the second recycles the first output, whose files the
    // backup shares, as its staging folder.
    edit(
        &root,
        "content/projects/alpha.md",
        "阿尔法新材料研发基地主要建设",
        "改写一",
    );
    build();
    let snap2 = tmp.path().join("snap2");
    link_tree(&out, &snap2);
    let before2 = tree(&snap2);
    edit(&root, "content/projects/alpha.md", "改写一", "改写二");
    build();
    edit(&root, "content/projects/alpha.md", "改写二", "改写三");
    build();
    assert!(
        tree(&snap) == before,
        "a backup of the first output changed"
    );
    assert!(
        tree(&snap2) == before2,
        "a backup of the second output changed"
    );
    assert!(read(&out.join("projects/alpha/index.html")).contains("改写三"));
}

#[test]
fn a_base_url_with_credentials_is_refused_and_never_published() {
    let (tmp, root) = fixture("basic");
    let out = tmp.path().join("out");
    let o = sanpi(
        &root,
        &[
            "build",
            ".",
            "-o",
            s(&out),
            "--base-url",
            "https://user:s3cret@example.org/x/",
        ],
    );
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(stderr(&o).contains("carries a user name or password"));
    assert!(!stderr(&o).contains("s3cret"), "{}", stderr(&o));
    assert!(!out.exists());
    // The same in site.yaml, at its line.
    edit(
        &root,
        "content/site.yaml",
        "base_url: https://example.org/sub/",
        "base_url: https://user:s3cret@example.org/x/",
    );
    let o = sanpi(&root, &["check"]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("error: content/site.yaml:2:11: base_url: "),
        "{}",
        stderr(&o)
    );
}
