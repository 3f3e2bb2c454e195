//! Atomicity under faults: builds killed with SIGKILL at random moments leave the output
//! exactly as one complete site, the old or the new, and the next build recycles what a
//! killed one left beside it.
//!
//! The kill moments are random, so how many builds die mid-way depends on the machine and
//! its load: the test asserts only what must hold whenever a build dies, never a count.

mod common;

use common::*;
use std::fs;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

#[test]
#[cfg(unix)]
fn killed_builds_never_leave_a_half_written_site() {
    let bin = env!("CARGO_BIN_EXE_sanpi");
    let (tmp, root) = fixture("basic");
    let out = tmp.path().join("out");
    let build = || {
        let s = Command::new(bin)
            .arg("build")
            .arg(&root)
            .arg("-o")
            .arg(&out)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .unwrap();
        assert!(s.success());
    };
    // Two versions of the site, A and B, differing in one project's name.
    let name = |v: &str| {
        fs::write(
            root.join("content/pages/about.md"),
            format!("---\ntitle: 关于本站{v}\n---\n版本{v}。\n"),
        )
        .unwrap()
    };
    name("A");
    build();
    let tree_a = tree(&out);
    name("B");
    let t0 = Instant::now();
    build();
    let full = t0.elapsed();
    let tree_b = tree(&out);
    assert_ne!(tree_a, tree_b);

    // A simple generator, seeded, so that a failure can be replayed.
    let mut seed: u64 = 0x5a17_2023;
    let mut next = || {
        seed = seed
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        seed >> 33
    };
    let (mut killed, mut finished) = (0, 0);
    for run in 0..60 {
        let version = if run % 2 == 0 { "A" } else { "B" };
        name(version);
        // Within the first 90% of a build's length, where most of its writes happen.
        let delay = Duration::from_micros(next() % (full.as_micros() as u64 * 9 / 10 + 1));
        let mut child = Command::new(bin)
            .arg("build")
            .arg(&root)
            .arg("-o")
            .arg(&out)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(delay);
        match child.try_wait().unwrap() {
            Some(_) => finished += 1,
            None => {
                child.kill().unwrap();
                killed += 1;
            }
        }
        child.wait().unwrap();
        let now = tree(&out);
        assert!(
            now == tree_a || now == tree_b,
            "run {run} (killed after {delay:?}): the output is neither complete site"
        );
    }
    eprintln!("{killed} of 60 builds were killed mid-way, {finished} finished first");
    // The next build recycles what the killed ones left beside the output.
    build();
    let leftovers: Vec<String> = fs::read_dir(tmp.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(".out"))
        .collect();
    assert_eq!(leftovers, vec![".out.sanpi-spare"]);
}
