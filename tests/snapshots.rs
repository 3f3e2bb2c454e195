//! Snapshots of the pages and files where the exact bytes matter. After an intended change,
//! review and accept with `cargo insta review` (or `INSTA_UPDATE=always cargo test`).

mod common;

use common::*;

fn built() -> (tempfile::TempDir, std::path::PathBuf) {
    let (tmp, root) = fixture("basic");
    let o = build(&root);
    assert!(o.ok(), "{:?}", errors(&o));
    (tmp, root)
}

#[test]
fn project_page() {
    let (_t, root) = built();
    insta::assert_snapshot!(read(
        &root.join("output/projects/gamma-data-hub/index.html")
    ));
}

#[test]
fn bulletin_page() {
    let (_t, root) = built();
    insta::assert_snapshot!(read(
        &root.join("output/bulletins/2022-07-01-period-2/index.html")
    ));
}

#[test]
fn headline_chart() {
    let (_t, root) = built();
    insta::assert_snapshot!(read(&root.join("output/charts/investment-by-batch.svg")));
}

#[test]
fn data_files() {
    let (_t, root) = built();
    insta::assert_snapshot!("projects_csv", read(&root.join("output/data/projects.csv")));
    insta::assert_snapshot!(
        "projects_json",
        read(&root.join("output/data/projects.json"))
    );
    insta::assert_snapshot!("feed", read(&root.join("output/feed.xml")));
}
