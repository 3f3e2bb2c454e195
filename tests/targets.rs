//! Targets and time progress, and the rate chain (FORMAT.md): the synthetic province of
//! tests/fixtures/regions against the rows worked out by hand, the sample site's targets
//! against the seed, and the errors of a wrong targets file.

mod common;

use common::*;
use std::collections::BTreeMap;

type Row = BTreeMap<String, String>;

/// Whether `got` holds every value of `want` (amounts compared as written by sanpi: `30`).
fn holds(got: &Row, want: &Row) -> bool {
    want.iter()
        .all(|(k, v)| got.get(k) == Some(v) || same_amount(got.get(k), v))
}

fn same_amount(got: Option<&String>, want: &str) -> bool {
    let norm = |s: &str| {
        if s.contains('.') {
            s.trim_end_matches('0').trim_end_matches('.').to_string()
        } else {
            s.to_string()
        }
    };
    got.is_some_and(|g| !g.is_empty() && norm(g) == norm(want))
}

#[test]
fn the_provinces_targets_and_chain_hold_the_rows_worked_out_by_hand() {
    let (_t, root) = fixture("regions");
    let o = build(&root);
    assert!(o.ok(), "{:?}", errors(&o));
    let out = root.join("output");
    let targets = csv_rows(&out.join("data/targets.csv"));
    let want = expected_rows("targets");
    assert_eq!(targets.len(), want.len());
    for w in &want {
        let g = targets
            .iter()
            .find(|g| g["target"] == w["target"] && g["region"] == w["region"])
            .unwrap_or_else(|| panic!("no row {w:?}"));
        assert!(holds(g, w), "{g:?} against {w:?}");
    }
    let chain = csv_rows(&out.join("data/chain.csv"));
    let want = expected_rows("chain");
    assert_eq!(chain.len(), want.len());
    for (g, w) in chain.iter().zip(&want) {
        assert!(holds(g, w), "{g:?} against {w:?}");
    }
    // Each region's chain, with its path first.
    let regional = csv_rows(&out.join("data/regions-chain.csv"));
    assert!(regional.iter().any(|r| r["region"] == "dongchuan/linhe"));
    // The pages: the year's targets, the chart with the time progress, a region's own.
    let year = read(&out.join("targets/2023/index.html"));
    assert!(
        year.contains("滞后时序进度 5.7 个百分点"),
        "signed-investment: 69.3 against 75.0"
    );
    assert!(year.contains("超时序进度 8.8 个百分点"));
    let chart = read(&out.join("charts/targets-2023.svg"));
    assert!(
        chart.contains("数据截至2023年9月"),
        "dated by the as-of month"
    );
    let city = read(&out.join("regions/dongchuan/index.html"));
    assert!(city.contains("id=\"target-dc-signed-investment\""));
    assert!(read(&out.join("index.html")).contains("id=\"chain-fulfilled\""));
}

#[test]
fn the_sample_sites_targets_are_the_seeds_and_none_is_claimed_achieved() {
    let (_t, root) = {
        let tmp = tempfile::tempdir().unwrap();
        let root = tmp.path().join("site");
        copy_dir(&repo().join("content"), &root.join("content"));
        (tmp, root)
    };
    let o = build(&root);
    assert!(o.ok(), "{:?}", errors(&o));
    let rows = csv_rows(&root.join("output/data/targets.csv"));
    let got: Vec<(&str, &str, &str)> = rows
        .iter()
        .map(|r| {
            (
                r["label"].as_str(),
                r["at_least"].as_str(),
                r["achieved"].as_str(),
            )
        })
        .collect();
    assert_eq!(
        got,
        [
            ("新签约项目签约额", "400", ""),
            ("新开工项目投资额", "290", ""),
            ("制造业招商项目签约额", "180", ""),
            ("制造业项目签约", "12", ""),
        ],
        "the article gives no achieved figure, and names no project as manufacturing"
    );
    let page = read(&root.join("output/targets/index.html"));
    assert!(page.contains("未载明") && !page.contains("0.0%"));
}

#[test]
fn a_wrong_targets_file_is_an_error_at_its_place() {
    let (_t, root) = fixture("regions");
    edit(
        &root,
        "content/targets/2023.yaml",
        "at_least: 400",
        "at_least: 0",
    );
    edit(
        &root,
        "content/targets/2023-dongchuan.yaml",
        "region: dongchuan",
        "region: dongchun",
    );
    let errs = errors(&build(&root));
    assert!(
        errs.iter()
            .any(|e| e.starts_with("error: content/targets/2023.yaml:")
                && e.contains("`at_least` is 0")),
        "{errs:?}"
    );
    assert!(
        errs.iter().any(
            |e| e.starts_with("error: content/targets/2023-dongchuan.yaml:")
                && e.contains("there is no region `dongchun`; did you mean dongchuan?")
        ),
        "{errs:?}"
    );
    assert!(!root.join("output").exists());
}
