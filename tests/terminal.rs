//! What reaches the terminal: a reader that goes away early is no panic, and text from
//! files never acts on the terminal (its control characters are shown escaped).

mod common;

use common::*;
use std::io::Read;
use std::path::Path;
use std::process::{Command, Output, Stdio};

/// Runs sanpi with `args`, its standard output closed before it writes anything (as
/// `sanpi … | head -c0` would); its exit status and standard error.
fn run_unread(args: &[&str], root: &Path) -> (Option<i32>, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_sanpi"))
        .args(args)
        .current_dir(root)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stdout.take());
    let mut err = String::new();
    child
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut err)
        .unwrap();
    (child.wait().unwrap().code(), err)
}

#[test]
fn a_closed_output_pipe_ends_every_command_quietly() {
    let (_tmp, root) = fixture("basic");
    for args in [
        &["check"][..],
        &["build", "--quiet"],
        &["build"],
        &["--help"],
        &["--version"],
        &["build", "--help"],
        &["new", "project", "新项目"],
    ] {
        let (code, err) = run_unread(args, &root);
        assert!(!err.contains("panicked"), "sanpi {args:?}: {err}");
        assert_eq!(code, Some(0), "sanpi {args:?}: {err}");
    }
    // A failing run keeps its exit code and its errors when nobody reads standard output.
    edit(&root, "content/projects/beta.md", "period: 2", "period: 9");
    let (code, err) = run_unread(&["check"], &root);
    assert_eq!(code, Some(1), "{err}");
    assert!(err.contains("content/projects/beta.md:4:9"), "{err}");
}

fn sanpi(args: &[&str], root: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_sanpi"))
        .args(args)
        .arg(root)
        .stdin(Stdio::null())
        .output()
        .unwrap()
}

#[test]
fn text_from_files_never_reaches_the_terminal_raw() {
    let (_tmp, root) = fixture("basic");
    // A sector whose name clears the screen, plants a hyperlink and rewrites the line, and
    // an unknown key in colour: the error echoes the key, escaped, and nothing is obeyed.
    edit(
        &root,
        "content/projects/beta.md",
        "sector: 物联网",
        "sector: \"\\e[2J\\e]8;;http://evil.example/\\aclick\\e]8;;\\a\\rok\"\n\"\\e[31mred\": 1",
    );
    let out = sanpi(&["check"], &root);
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(
        !err.contains(['\x1b', '\x07', '\r']),
        "raw control characters reached the terminal: {err:?}"
    );
    assert!(err.contains("unknown key `\\u{1b}[31mred`"), "{err}");
}
