//! The site's licence (`license` in site.yaml, issue 29): in the footer of every page, in the
//! citation of a chart's page, in the feeds and in data/projects.json; nowhere without one.

mod common;

use common::*;

#[test]
fn a_licence_is_shown_wherever_the_site_is_reused() {
    let (_tmp, root) = fixture("basic");
    edit(
        &root,
        "content/site.yaml",
        "base_url:",
        "license: CC-BY-4.0\nbase_url:",
    );
    let o = build(&root);
    assert!(o.ok(), "{:?}", errors(&o));
    let out = root.join("output");
    let link = "<a rel=\"license\" href=\"https://spdx.org/licenses/CC-BY-4.0.html\"";
    let mut pages = 0;
    for (rel, bytes) in tree(&out) {
        let text = String::from_utf8_lossy(&bytes);
        if rel.ends_with(".html") && text.contains("<footer") {
            pages += 1;
            assert!(
                text.contains(&format!("<p class=\"license\">许可协议：{link}")),
                "{rel}"
            );
        }
        if rel.ends_with(".xml") && text.contains("<feed") {
            assert!(
                text.contains(
                    "<rights>CC-BY-4.0 (https://spdx.org/licenses/CC-BY-4.0.html)</rights>"
                ),
                "{rel}"
            );
        }
    }
    assert!(pages > 20, "{pages} pages");
    let json: serde_json::Value =
        serde_json::from_str(&read(&out.join("data/projects.json"))).unwrap();
    assert_eq!(json["license"]["id"], "CC-BY-4.0");
    assert_eq!(
        json["license"]["url"],
        "https://spdx.org/licenses/CC-BY-4.0.html"
    );
    // A chart's page: how to cite it, in GB/T 7714 and in a sentence, and its licence.
    let chart = read(&out.join("charts/investment-by-batch/index.html"));
    assert!(chart.contains("[EB/OL]. ("), "{chart}");
    assert!(
        chart.contains("<dt>文中注明</dt><dd>") && chart.contains("《各批次总投资》"),
        "{chart}"
    );
    assert!(
        chart.contains(&format!("<dt>许可协议</dt><dd>{link}")),
        "{chart}"
    );
    let home = read(&out.join("index.html"));
    assert!(home.contains("\"license\":\"https://spdx.org/licenses/CC-BY-4.0.html\""));
}

#[test]
fn without_a_licence_nothing_claims_one() {
    let (_tmp, root) = fixture("basic");
    assert!(build(&root).ok());
    let out = root.join("output");
    for (rel, bytes) in tree(&out) {
        let text = String::from_utf8_lossy(&bytes);
        assert!(
            !text.contains("许可协议")
                && !text.contains("<rights>")
                && !text.contains("\"license\""),
            "{rel}"
        );
    }
}

#[test]
fn a_licence_that_is_no_licence_is_an_error_at_its_place() {
    let (_tmp, root) = fixture("basic");
    edit(
        &root,
        "content/site.yaml",
        "base_url:",
        "license: CC BY 4.0\nbase_url:",
    );
    let o = build(&root);
    assert!(!o.ok());
    let e = errors(&o).join("\n");
    assert!(
        e.contains("content/site.yaml:2:10:") && e.contains("SPDX"),
        "{e}"
    );
}
