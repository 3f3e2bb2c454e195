//! One test per validation rule: the exact `error: PATH:LINE:COL: ` line a user sees.

mod common;

use common::*;
use std::fs;
use std::path::Path;

/// Builds `root`, expects failure, and returns the error lines.
fn fails(root: &Path) -> Vec<String> {
    let before = root
        .join("output")
        .exists()
        .then(|| tree(&root.join("output")));
    let o = build(root);
    assert!(!o.ok(), "the build should fail");
    if let Some(before) = before {
        assert_eq!(
            before,
            tree(&root.join("output")),
            "the last good output is untouched"
        );
    }
    errors(&o)
}

/// Asserts that one error line starts with `prefix` and contains every word of `words`.
fn has(errors: &[String], prefix: &str, words: &[&str]) {
    let hit = errors.iter().find(|e| e.starts_with(prefix));
    let Some(e) = hit else {
        panic!("no error starting {prefix:?} in {errors:#?}")
    };
    for w in words {
        assert!(e.contains(w), "{e:?} does not mention {w:?}");
    }
}

/// A fixture copy with one edit, built once successfully first.
fn edited(rel: &str, old: &str, new: &str) -> (tempfile::TempDir, std::path::PathBuf) {
    let (tmp, root) = fixture("basic");
    assert!(build(&root).ok());
    edit(&root, rel, old, new);
    (tmp, root)
}

#[test]
fn unknown_batch() {
    let (_t, root) = edited(
        "content/projects/gamma.md",
        "batch: started",
        "batch: startd",
    );
    has(
        &fails(&root),
        "error: content/projects/gamma.md:4:8: ",
        &["startd", "did you mean `started`"],
    );
}

#[test]
fn misspelt_key() {
    let (_t, root) = edited(
        "content/projects/alpha.md",
        "investment: 10.5",
        "investmnet: 10.5",
    );
    has(
        &fails(&root),
        "error: content/projects/alpha.md:5:1: ",
        &["unknown key `investmnet`", "did you mean `investment`"],
    );
}

#[test]
fn undefined_period() {
    let (_t, root) = edited("content/projects/beta.md", "period: 2", "period: 9");
    has(
        &fails(&root),
        "error: content/projects/beta.md:4:9: ",
        &["period 9 does not exist", "defined periods: 1, 2"],
    );
}

#[test]
fn negative_amount_in_a_yaml_project() {
    let (_t, root) = edited(
        "content/projects/more/delta.yaml",
        "investment: 7.75",
        "investment: -7.75",
    );
    has(
        &fails(&root),
        "error: content/projects/more/delta.yaml:6:13: ",
        &["negative"],
    );
}

#[test]
fn amount_that_is_text() {
    let (_t, root) = edited(
        "content/projects/alpha.md",
        "investment: 10.5",
        "investment: 很多",
    );
    has(
        &fails(&root),
        "error: content/projects/alpha.md:5:13: ",
        &["很多", "not an amount"],
    );
}

#[test]
fn amount_with_more_than_six_decimals() {
    let (_t, root) = edited(
        "content/projects/alpha.md",
        "investment: 10.5",
        "investment: 10.1234567",
    );
    has(
        &fails(&root),
        "error: content/projects/alpha.md:5:13: ",
        &["more than 6 decimals"],
    );
}

/// Issue 26: an amount is exact to 100 元, so the decimals allowed depend on the site's unit:
/// 0.12005 亿元 (1200.5万元) builds; 1200.505 in a 万元 site is an error at its value, in a
/// project and in a period's declared figures alike.
#[test]
fn amount_decimals_depend_on_the_site_unit() {
    let (_t, root) = edited(
        "content/projects/alpha.md",
        "investment: 10.5",
        "investment: 0.12005",
    );
    let o = build(&root);
    assert!(o.ok(), "{:?}", errors(&o));
    let page = fs::read_to_string(root.join("output/projects/alpha/index.html")).unwrap();
    assert!(page.contains("0.12005"), "the page shows 0.12005");
    let csv = fs::read_to_string(root.join("output/data/projects.csv")).unwrap();
    assert!(csv.contains(",0.12005,"), "{csv}");
    edit(
        &root,
        "content/site.yaml",
        "share_images: false",
        "share_images: false\nunit: 万元",
    );
    edit(
        &root,
        "content/projects/alpha.md",
        "investment: 0.12005",
        "investment: 1200.505",
    );
    edit(
        &root,
        "content/periods/02.yaml",
        "signed: {count: 2, investment: 30.75}",
        "signed: {count: 2, investment: 30.755}",
    );
    let e = fails(&root);
    has(
        &e,
        "error: content/projects/alpha.md:5:13: ",
        &["`1200.505` has 3 decimals", "at most 2 decimals in 万元"],
    );
    has(
        &e,
        "error: content/periods/02.yaml:6:34: ",
        &["`30.755` has 3 decimals"],
    );
    edit(
        &root,
        "content/projects/alpha.md",
        "investment: 1200.505",
        "investment: 1200.5",
    );
    edit(
        &root,
        "content/periods/02.yaml",
        "investment: 30.755",
        "investment: 30.75",
    );
    let o = build(&root);
    assert!(o.ok(), "{:?}", errors(&o));
}

#[test]
fn amounts_are_read_from_their_text_never_through_a_float() {
    for (value, words) in [
        ("1000.0000005", "more than 6 decimals"),
        ("99999.9999999", "more than 6 decimals"),
        ("100.1234567", "more than 6 decimals"),
        ("\"100.1234567\"", "more than 6 decimals"),
        ("100000000.000001", "too large"),
        ("0x10", "hexadecimal"),
        ("1.5e2", "exponent"),
        (".nan", "not an amount"),
    ] {
        let (_t, root) = edited(
            "content/periods/02.yaml",
            "signed: {count: 2, investment: 30.75}",
            &format!("signed: {{count: 2, investment: {value}}}"),
        );
        has(
            &fails(&root),
            "error: content/periods/02.yaml:6:34: ",
            &[words],
        );
    }
    // The largest amount is the same as a number and as a string.
    for value in ["100000000", "\"100000000\""] {
        let (_t, root) = edited(
            "content/projects/alpha.md",
            "investment: 10.5",
            &format!("investment: {value}"),
        );
        let o = build(&root);
        assert!(o.ok(), "{value}: {:?}", errors(&o));
    }
}

#[test]
fn unknown_progress() {
    let (_t, root) = edited(
        "content/projects/beta.md",
        "progress: fulfilled",
        "progress: done",
    );
    has(
        &fails(&root),
        "error: content/projects/beta.md:7:11: ",
        &["done", "at_capacity"],
    );
}

#[test]
fn malformed_yaml() {
    let (_t, root) = edited(
        "content/projects/more/delta.yaml",
        "name: 德尔塔生物医药产业化基地",
        "name: \"德尔塔生物医药产业化基地",
    );
    has(
        &fails(&root),
        "error: content/projects/more/delta.yaml:",
        &[],
    );
}

#[test]
fn missing_name() {
    let (_t, root) = edited(
        "content/projects/beta.md",
        "name: 贝塔智能传感器产业园\n",
        "",
    );
    has(
        &fails(&root),
        "error: content/projects/beta.md:2:1: ",
        &["missing required key `name`"],
    );
}

#[test]
fn impossible_date() {
    let (_t, root) = edited(
        "content/periods/01.yaml",
        "date: 2022-03-01",
        "date: 2022-13-45",
    );
    has(
        &fails(&root),
        "error: content/periods/01.yaml:2:7: ",
        &["2022-13-45", "not a day"],
    );
}

#[test]
fn date_in_the_wrong_shape() {
    let (_t, root) = edited(
        "content/projects/gamma.md",
        "{date: 2022-09-30",
        "{date: 2022/09/30",
    );
    has(
        &fails(&root),
        "error: content/projects/gamma.md:14:12: ",
        &["YYYY-MM-DD"],
    );
}

#[test]
fn duplicate_id() {
    let (_t, root) = fixture("basic");
    fs::write(
        root.join("content/projects/dup.md"),
        "---\nid: gamma-data-hub\nname: 重复\nbatch: signed\nperiod: 2\n---\n",
    )
    .unwrap();
    has(
        &fails(&root),
        "error: content/projects/gamma.md:2:5: ",
        &["`gamma-data-hub` is taken", "content/projects/dup.md"],
    );
}

#[test]
fn duplicate_period() {
    let (_t, root) = fixture("basic");
    fs::write(root.join("content/periods/03.yaml"), "number: 2\n").unwrap();
    has(
        &fails(&root),
        "error: content/periods/03.yaml:1:9: ",
        &["period 2 is defined twice", "content/periods/02.yaml"],
    );
}

#[test]
fn non_ascii_file_name_without_id() {
    let (_t, root) = fixture("basic");
    fs::write(
        root.join("content/projects/中文项目.md"),
        "---\nname: 中文项目\nbatch: signed\nperiod: 2\n---\n",
    )
    .unwrap();
    has(
        &fails(&root),
        "error: content/projects/中文项目.md:1:1: ",
        &["cannot be an id", "id:"],
    );
}

#[test]
fn invalid_id() {
    let (_t, root) = edited(
        "content/projects/gamma.md",
        "id: gamma-data-hub",
        "id: Gamma Hub",
    );
    has(
        &fails(&root),
        "error: content/projects/gamma.md:2:5: ",
        &["not a valid id"],
    );
}

#[test]
fn unknown_shortcode() {
    let (_t, root) = edited(
        "content/bulletins/2022-07-01-period-2.md",
        "{{ chart(",
        "{{ chrt(",
    );
    has(
        &fails(&root),
        "error: content/bulletins/2022-07-01-period-2.md:10:1: ",
        &["unknown shortcode `chrt`", "`chart`"],
    );
}

#[test]
fn unknown_chart() {
    let (_t, root) = edited(
        "content/bulletins/2022-07-01-period-2.md",
        "investment-by-batch",
        "no-such-chart",
    );
    has(
        &fails(&root),
        "error: content/bulletins/2022-07-01-period-2.md:10:1: ",
        &["no-such-chart", "investment-by-batch"],
    );
}

#[test]
fn shortcode_with_an_unknown_period() {
    let (_t, root) = edited(
        "content/bulletins/2022-07-01-period-2.md",
        "period=2",
        "period=8",
    );
    has(
        &fails(&root),
        "error: content/bulletins/2022-07-01-period-2.md:14:1: ",
        &["period 8 does not exist"],
    );
}

#[test]
fn unknown_shortcode_argument() {
    let (_t, root) = edited(
        "content/bulletins/2022-07-01-period-2.md",
        "batch=\"started\"",
        "bach=\"started\"",
    );
    has(
        &fails(&root),
        "error: content/bulletins/2022-07-01-period-2.md:14:1: ",
        &["unknown argument `bach`"],
    );
}

#[test]
fn unclosed_front_matter() {
    let (_t, root) = edited(
        "content/pages/about.md",
        "title: 关于本站\n---\n",
        "title: 关于本站\n",
    );
    has(
        &fails(&root),
        "error: content/pages/about.md:1:1: ",
        &["never closed"],
    );
}

#[test]
fn missing_site_yaml() {
    let (_t, root) = fixture("basic");
    fs::remove_file(root.join("content/site.yaml")).unwrap();
    has(&fails(&root), "error: content/site.yaml: ", &["missing"]);
}

#[test]
fn two_errors_in_two_files_are_both_reported() {
    let (_t, root) = edited(
        "content/projects/alpha.md",
        "investment: 10.5",
        "investmnet: 10.5",
    );
    edit(&root, "content/projects/beta.md", "period: 2", "period: 9");
    let e = fails(&root);
    has(&e, "error: content/projects/alpha.md:5:1: ", &[]);
    has(&e, "error: content/projects/beta.md:4:9: ", &[]);
}

#[test]
fn history_with_an_unknown_period() {
    let (_t, root) = edited(
        "content/projects/gamma.md",
        "{period: 1, batch: signed}",
        "{period: 7, batch: signed}",
    );
    has(
        &fails(&root),
        "error: content/projects/gamma.md:7:14: ",
        &["period 7 does not exist"],
    );
}

#[test]
fn alias_that_takes_a_live_url() {
    let (_t, root) = edited(
        "content/projects/gamma.md",
        "aliases: [gamma-hub-old]",
        "aliases: [alpha]",
    );
    has(
        &fails(&root),
        "error: content/projects/gamma.md:17:11: ",
        &["alias `alpha`", "content/projects/alpha.md"],
    );
}

#[test]
fn alias_that_climbs_out() {
    let (_t, root) = edited(
        "content/projects/gamma.md",
        "aliases: [gamma-hub-old]",
        "aliases: [\"../../etc\"]",
    );
    has(
        &fails(&root),
        "error: content/projects/gamma.md:17:11: ",
        &["not a valid id"],
    );
}

#[test]
fn internal_link_to_nothing() {
    let (_t, root) = edited(
        "content/projects/gamma.md",
        "(@/projects/alpha/)",
        "(@/projects/nope/)",
    );
    has(
        &fails(&root),
        "error: content/projects/gamma.md:21:25: ",
        &["@/projects/nope/", "no page"],
    );
}

#[test]
fn image_that_does_not_exist() {
    let (_t, root) = edited("content/projects/gamma.md", "img/site.svg", "img/none.svg");
    has(
        &fails(&root),
        "error: content/projects/gamma.md:16:11: ",
        &["content/static/img/none.svg"],
    );
}

#[test]
fn image_without_alt_text() {
    let (_t, root) = edited(
        "content/projects/gamma.md",
        "alt: 伽马项目工地",
        "alt: \"\"",
    );
    has(
        &fails(&root),
        "error: content/projects/gamma.md:16:30: ",
        &["alt text"],
    );
}

#[test]
fn body_key_in_a_markdown_project() {
    let (_t, root) = edited(
        "content/projects/beta.md",
        "progress: fulfilled",
        "progress: fulfilled\nbody: 文字",
    );
    has(
        &fails(&root),
        "error: content/projects/beta.md:8:7: ",
        &["`body` is for .yaml projects"],
    );
}

#[test]
fn page_slug_that_belongs_to_sanpi() {
    let (_t, root) = edited(
        "content/pages/about.md",
        "title: 关于本站",
        "title: 关于本站\nslug: projects",
    );
    has(
        &fails(&root),
        "error: content/pages/about.md:3:7: ",
        &["belongs to sanpi"],
    );
}

#[test]
fn bulletin_without_a_date() {
    let (_t, root) = edited(
        "content/bulletins/2022-03-01-period-1.md",
        "date: 2022-03-01\n",
        "",
    );
    has(
        &fails(&root),
        "error: content/bulletins/2022-03-01-period-1.md:2:1: ",
        &["needs a `date`"],
    );
}

#[test]
fn sectors_that_would_share_a_slug() {
    let (_t, root) = edited(
        "content/site.yaml",
        "  新材料: new-materials",
        "  新材料: new-materials\n  物联网: new-materials",
    );
    has(
        &fails(&root),
        "error: content/projects/",
        &["would share the URL slug `new-materials`"],
    );
}

#[test]
fn sector_slug_that_is_not_a_slug() {
    let (_t, root) = edited(
        "content/site.yaml",
        "  新材料: new-materials",
        "  新材料: 新材料",
    );
    has(
        &fails(&root),
        "error: content/site.yaml:8:8: ",
        &["not a URL slug"],
    );
}

#[test]
fn base_url_that_is_not_http() {
    let (_t, root) = edited(
        "content/site.yaml",
        "base_url: https://example.org/sub/",
        "base_url: javascript:alert(1)",
    );
    has(
        &fails(&root),
        "error: content/site.yaml:2:11: ",
        &["not an http(s) address"],
    );
}

#[test]
fn file_that_is_not_utf8() {
    let (_t, root) = fixture("basic");
    fs::write(
        root.join("content/projects/gbk.md"),
        b"---\nname: \xd6\xd0\xce\xc4\n---\n",
    )
    .unwrap();
    has(
        &fails(&root),
        "error: content/projects/gbk.md:2:7: ",
        &["not valid UTF-8"],
    );
}

#[test]
fn template_with_a_syntax_error() {
    let (_t, root) = fixture("basic");
    fs::create_dir_all(root.join("templates")).unwrap();
    fs::write(
        root.join("templates/404.html"),
        "{% extends \"base.html\" %}\n{% block main %}\n{% if %}\n{% endblock main %}\n",
    )
    .unwrap();
    has(&fails(&root), "error: templates/404.html:3:", &[]);
}

#[test]
fn template_that_fails_to_render() {
    let (_t, root) = fixture("basic");
    fs::create_dir_all(root.join("templates")).unwrap();
    fs::write(
        root.join("templates/404.html"),
        "{{ no_such_variable.field }}",
    )
    .unwrap();
    has(
        &fails(&root),
        "error: templates/404.html: ",
        &["no_such_variable"],
    );
}

#[test]
fn exit_codes_follow_the_contract() {
    use std::process::Command;
    let bin = env!("CARGO_BIN_EXE_sanpi");
    let (_t, root) = fixture("basic");
    let ok = Command::new(bin).arg("build").arg(&root).output().unwrap();
    assert_eq!(
        ok.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&ok.stderr)
    );
    assert!(String::from_utf8_lossy(&ok.stdout).starts_with("built "));
    edit(&root, "content/projects/beta.md", "period: 2", "period: 9");
    let bad = Command::new(bin).arg("build").arg(&root).output().unwrap();
    assert_eq!(bad.status.code(), Some(1));
    let err = String::from_utf8_lossy(&bad.stderr);
    assert!(
        err.lines()
            .next()
            .unwrap()
            .starts_with("error: content/projects/beta.md:4:9: "),
        "{err}"
    );
    assert!(!err.contains("panicked"));
    let usage = Command::new(bin)
        .arg("build")
        .arg("--no-such-flag")
        .output()
        .unwrap();
    assert_eq!(usage.status.code(), Some(2));
    let check = Command::new(bin).arg("check").arg(&root).output().unwrap();
    assert_eq!(check.status.code(), Some(1));
}

#[test]
fn check_warns_about_doubtful_content_and_still_succeeds() {
    let (_t, root) = fixture("basic");
    edit(&root, "content/periods/01.yaml", "date: 2022-03-01\n", "");
    edit(
        &root,
        "content/projects/gamma.md",
        "{period: 1, batch: signed}",
        "{period: 2, batch: producing}",
    );
    edit(
        &root,
        "content/periods/02.yaml",
        "signed: {count: 2, investment: 30.75}",
        "signed: {count: 3, investment: 31}",
    );
    let o = sanpi::check(&sanpi::BuildOptions::new(&root));
    assert!(o.ok(), "warnings never fail: {:?}", errors(&o));
    let w: Vec<String> = o.diagnostics.iter().map(|d| d.to_string()).collect();
    let has =
        |prefix: &str, word: &str| w.iter().any(|l| l.starts_with(prefix) && l.contains(word));
    assert!(
        has("warning: content/periods/01.yaml:1:9: ", "no date"),
        "{w:#?}"
    );
    assert!(
        has(
            "warning: content/projects/gamma.md:7:",
            "goes back in batch"
        ),
        "{w:#?}"
    );
    assert!(
        has(
            "warning: content/periods/02.yaml:6:",
            "declares 3 projects in signed, the entries hold 2"
        ),
        "{w:#?}"
    );
    assert!(
        has(
            "warning: content/periods/02.yaml:6:",
            "declares 31 for signed, the entries add up to 30.75"
        ),
        "{w:#?}"
    );
    // A build says nothing of them.
    let b = build(&root);
    assert!(b.ok() && !b.diagnostics.iter().any(|d| d.message.contains("no date")));
}

/// Issue 26: a published rate that disagrees with the counts declared beside it is a warning
/// at the rate; one within the rounding of a decimal is not.
#[test]
fn a_published_rate_against_its_counts() {
    let (_t, root) = fixture("basic");
    edit(
        &root,
        "content/periods/02.yaml",
        "started: {count: 2, investment: 20.05}",
        "started: {count: 7, investment: 20.05, progress: {under_construction: 6, in_production: 5}, rates: {under_construction: 85.7, in_production: 50}}",
    );
    let o = sanpi::check(&sanpi::BuildOptions::new(&root));
    assert!(o.ok(), "{:?}", errors(&o));
    let w: Vec<String> = o.diagnostics.iter().map(|d| d.to_string()).collect();
    let rates: Vec<&String> = w.iter().filter(|l| l.contains("disagrees")).collect();
    assert_eq!(rates.len(), 1, "{w:#?}");
    assert!(
        rates[0].starts_with("warning: content/periods/02.yaml:7:")
            && rates[0].contains("the rate 50.0% of `in_production` disagrees with 5 of 7 declared beside it (71.4%)"),
        "{rates:?}"
    );
}

/// Runs the binary's `build` on `root`: expects exit 1 and no crash; returns the error lines.
fn binary_fails(root: &Path) -> Vec<String> {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_sanpi"))
        .arg("build")
        .arg(root)
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr).into_owned();
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(
        !err.contains("panicked") && !err.contains("overflow"),
        "{err}"
    );
    err.lines()
        .filter(|l| l.starts_with("error: "))
        .map(str::to_string)
        .collect()
}

/// A fixture copy with `templates/NAME` files of its own.
fn with_templates(files: &[(&str, &str)]) -> (tempfile::TempDir, std::path::PathBuf) {
    let (tmp, root) = fixture("basic");
    for (name, text) in files {
        let p = root.join("templates").join(name);
        fs::create_dir_all(p.parent().unwrap()).unwrap();
        fs::write(p, text).unwrap();
    }
    (tmp, root)
}

#[test]
fn template_that_includes_itself() {
    let (_t, root) = with_templates(&[(
        "page.html",
        "{% extends \"base.html\" %}\n{% block main %}\n  {% include \"page.html\" %}\n{% endblock main %}\n",
    )]);
    let e = binary_fails(&root);
    assert_eq!(e.len(), 1, "{e:#?}");
    has(
        &e,
        "error: templates/page.html:3:14: ",
        &["page.html includes page.html"],
    );
}

#[test]
fn templates_that_include_one_another() {
    let (_t, root) = with_templates(&[
        (
            "page.html",
            "{% extends \"base.html\" %}\n{% block main %}{% include \"partials/a.html\" %}{% endblock main %}\n",
        ),
        ("partials/a.html", "<p>{% include \"partials/b.html\" %}</p>\n"),
        ("partials/b.html", "<p>\n{% include \"page.html\" %}</p>\n"),
    ]);
    let e = binary_fails(&root);
    assert_eq!(e.len(), 1, "{e:#?}");
    has(
        &e,
        "error: templates/page.html:2:28: ",
        &[
            "page.html includes partials/a.html, partials/a.html includes partials/b.html, partials/b.html includes page.html",
        ],
    );
}

#[test]
fn macro_that_calls_itself() {
    let (_t, root) = with_templates(&[(
        "page.html",
        "{% extends \"base.html\" %}\n{% macro down(n) %}{{ self::down(n=n) }}{% endmacro down %}\n{% block main %}{{ self::down(n=1) }}{% endblock main %}\n",
    )]);
    let e = binary_fails(&root);
    assert_eq!(e.len(), 1, "{e:#?}");
    has(
        &e,
        "error: templates/page.html:2:23: ",
        &["the macro `down` of page.html calls the macro `down` of page.html"],
    );
}

#[test]
fn a_site_template_syntax_error_is_the_one_reported() {
    let (_t, root) = with_templates(&[(
        "page.html",
        "{% extends \"base.html\" %}\n{% block main %}\n<h1>{{ article.title }</h1>\n{% endblock main %}\n",
    )]);
    let e = binary_fails(&root);
    assert_eq!(e.len(), 1, "{e:#?}");
    has(&e, "error: templates/page.html:3:", &[]);
}

#[test]
fn static_files_may_not_replace_what_sanpi_generates() {
    let (_t, root) = fixture("basic");
    let statics = [
        ("sanpi.js", "replace sanpi.js"),
        ("search.js", "replace search.js"),
        ("favicon.svg", "replace favicon.svg"),
        ("projects/alpha/og.png", "replace projects/alpha/og.png"),
        ("og.png", "replace og.png"),
        (
            "charts/sector-new-materials.svg",
            "replace charts/sector-new-materials.svg",
        ),
        ("charts/period-2.csv", "replace charts/period-2.csv"),
        ("charts/batch-signed.svg", "replace charts/batch-signed.svg"),
        ("feeds/signed.xml", "replace feeds/signed.xml"),
        (
            "projects/alpha/index.html",
            "replace projects/alpha/index.html",
        ),
        ("projects/beta", "the folder projects/beta/"),
        ("404.html/x.txt", "a folder 404.html/"),
    ];
    for (rel, _) in statics {
        let p = root.join("content/static").join(rel);
        fs::create_dir_all(p.parent().unwrap()).unwrap();
        fs::write(p, "x").unwrap();
    }
    let e = fails(&root);
    for (rel, words) in statics {
        has(&e, &format!("error: content/static/{rel}: "), &[words]);
    }
    assert_eq!(e.len(), statics.len(), "{e:#?}");
}

#[cfg(unix)]
#[test]
fn folders_that_are_symbolic_links_are_refused() {
    use std::os::unix::fs::symlink;
    let cases: &[(&str, &str)] = &[
        ("content", "folder"),
        ("content/site.yaml", "file"),
        ("content/periods", "folder"),
        ("content/projects", "folder"),
        ("content/bulletins", "folder"),
        ("content/pages", "folder"),
        ("content/static", "folder"),
        ("templates", "folder"),
        ("themes", "folder"),
        ("themes/default", "folder"),
        ("themes/default/templates", "folder"),
        ("themes/default/static", "folder"),
    ];
    for (rel, what) in cases {
        let (tmp, root) = fixture("basic");
        // A theme folder and templates of the site's own, with a file from outside in each.
        for dir in [
            "templates",
            "themes/default/templates",
            "themes/default/static",
        ] {
            fs::create_dir_all(root.join(dir)).unwrap();
        }
        fs::write(root.join("templates/404.html"), "outside").unwrap();
        fs::write(root.join("themes/default/templates/404.html"), "outside").unwrap();
        fs::write(root.join("themes/default/static/outside.txt"), "outside").unwrap();
        // The real thing moves out of the site; a link takes its place.
        let outside = tmp.path().join("outside");
        fs::create_dir_all(&outside).unwrap();
        let moved = outside.join(rel.replace('/', "-"));
        fs::rename(root.join(rel), &moved).unwrap();
        symlink(&moved, root.join(rel)).unwrap();
        let o = build(&root);
        assert!(!o.ok(), "{rel}: the build should fail");
        let e = errors(&o);
        assert_eq!(e.len(), 1, "{rel}: {e:#?}");
        has(
            &e,
            &format!("error: {rel}: this {what} is a symbolic link; "),
            &["put the"],
        );
        assert!(!root.join("output").exists(), "{rel}");
    }
}

#[cfg(unix)]
#[test]
fn symbolic_links_inside_theme_folders_are_left_out() {
    let (tmp, root) = fixture("basic");
    fs::create_dir_all(root.join("themes/default/static")).unwrap();
    fs::create_dir_all(root.join("templates")).unwrap();
    let secret = tmp.path().join("secret.txt");
    fs::write(&secret, "secret").unwrap();
    std::os::unix::fs::symlink(&secret, root.join("themes/default/static/secret.txt")).unwrap();
    std::os::unix::fs::symlink(&secret, root.join("templates/404.html")).unwrap();
    let o = build(&root);
    assert!(o.ok(), "{:?}", errors(&o));
    let warned = |rel: &str| {
        o.diagnostics.iter().any(|d| {
            d.to_string()
                .starts_with(&format!("warning: {rel}: symbolic links are not followed"))
        })
    };
    assert!(warned("themes/default/static/secret.txt"));
    assert!(warned("templates/404.html"));
    assert!(!root.join("output/secret.txt").exists());
    assert!(!read(&root.join("output/404.html")).contains("secret"));
}

// Positions: the line and column an editor shows, whatever the YAML or Markdown around them.

#[test]
fn duplicate_key_is_reported_at_its_second_occurrence() {
    let (_t, root) = edited(
        "content/projects/alpha.md",
        "investment: 10.5\n",
        "investment: 10.5\ninvestment: 11\n",
    );
    has(
        &fails(&root),
        "error: content/projects/alpha.md:6:1: ",
        &["investment"],
    );
    let (_t, root) = edited(
        "content/site.yaml",
        "publisher: 测试管委会\n",
        "publisher: 测试管委会\ntitle: 另一个标题\n",
    );
    has(&fails(&root), "error: content/site.yaml:5:1: ", &["title"]);
    let (_t, root) = edited(
        "content/projects/alpha.md",
        "  contact: 示例\n",
        "  contact: 示例\n  contact: 又一个\n",
    );
    has(
        &fails(&root),
        "error: content/projects/alpha.md:11:3: ",
        &["contact"],
    );
}

#[test]
fn unicode_line_separators_do_not_shift_lines() {
    // Refused where the first of them stands, before any other error of the file.
    for sep in ['\u{2028}', '\u{85}', '\u{2029}'] {
        let (_t, root) = fixture("basic");
        edit(
            &root,
            "content/projects/alpha.md",
            "name: 阿尔法新材料研发基地项目",
            &format!("name: \"阿{sep}尔法{sep}新材料\""),
        );
        edit(
            &root,
            "content/projects/alpha.md",
            "investment: 10.5",
            "investmnet: 10.5",
        );
        has(
            &fails(&root),
            "error: content/projects/alpha.md:2:9: ",
            &[&format!("U+{:04X}", sep as u32)],
        );
    }
}

#[test]
fn shortcode_in_a_literal_yaml_body_keeps_its_column() {
    let (_t, root) = edited(
        "content/projects/more/delta.yaml",
        "  德尔塔生物医药产业化基地以创新生物药为重点。\n",
        "  德尔塔生物医药产业化基地以创新生物药为重点。\n\n  {{ chrt() }}\n",
    );
    has(
        &fails(&root),
        "error: content/projects/more/delta.yaml:11:3: ",
        &["chrt"],
    );
}

#[test]
fn shortcode_in_a_quoted_yaml_body_is_found_on_its_line() {
    let (_t, root) = edited(
        "content/projects/more/delta.yaml",
        "body: |\n  德尔塔生物医药产业化基地以创新生物药为重点。\n",
        "body: \"{{ chrt() }}\"\n",
    );
    has(
        &fails(&root),
        "error: content/projects/more/delta.yaml:8:8: ",
        &["chrt"],
    );
    // Escapes make an exact column impossible: the value's start.
    let (_t, root) = edited(
        "content/projects/more/delta.yaml",
        "body: |\n  德尔塔生物医药产业化基地以创新生物药为重点。\n",
        "body: \"\\u4e00\\n\\n{{ chrt() }}\"\n",
    );
    has(
        &fails(&root),
        "error: content/projects/more/delta.yaml:8:8: ",
        &["chrt"],
    );
}

#[test]
fn shortcode_in_a_period_summary_block() {
    let (_t, root) = edited(
        "content/periods/02.yaml",
        "summary: 本期有项目**签约转开工**。\n",
        "summary: |\n  {{ chart(name=\"no-such\") }}\n",
    );
    has(
        &fails(&root),
        "error: content/periods/02.yaml:5:3: ",
        &["no-such"],
    );
}

#[test]
fn links_in_yaml_bodies_keep_their_column() {
    let (_t, root) = edited(
        "content/projects/more/delta.yaml",
        "  德尔塔生物医药产业化基地以创新生物药为重点。\n",
        "  德尔塔生物医药产业化基地以创新生物药为重点。\n  另见 [甲](@/projects/nope/)。\n",
    );
    has(
        &fails(&root),
        "error: content/projects/more/delta.yaml:10:6: ",
        &["@/projects/nope/"],
    );
}

#[test]
fn page_is_no_project_id_nor_alias() {
    // `/projects/page/N/` are the later pages of the list of projects (FORMAT.md).
    let (_t, root) = edited(
        "content/projects/gamma.md",
        "id: gamma-data-hub",
        "id: page",
    );
    has(
        &fails(&root),
        "error: content/projects/gamma.md:2:5: ",
        &["`page` is reserved", "page-1"],
    );
    let (_t, root) = edited(
        "content/projects/gamma.md",
        "aliases: [gamma-hub-old]",
        "aliases: [gamma-hub-old, page]",
    );
    has(
        &fails(&root),
        "error: content/projects/gamma.md:17:26: ",
        &["the alias `page` is reserved"],
    );
    // A file named page.md without an `id:` is refused at its first line.
    let (_t, root) = fixture("basic");
    fs::copy(
        root.join("content/projects/alpha.md"),
        root.join("content/projects/page.md"),
    )
    .unwrap();
    edit(
        &root,
        "content/projects/page.md",
        "name: 阿尔法",
        "name: 分页",
    );
    has(
        &fails(&root),
        "error: content/projects/page.md:1:1: ",
        &["the id (the file's name) `page` is reserved"],
    );
}

#[test]
fn bad_page_size() {
    let (_t, root) = edited("content/site.yaml", "share_images: false", "page_size: -1");
    has(
        &fails(&root),
        "error: content/site.yaml:6:12: ",
        &["page_size: -1", "0 to show each list on one page"],
    );
}

#[test]
fn a_hidden_line_break_in_yaml_is_reported_where_it_stands() {
    for sep in ['\u{2028}', '\u{85}'] {
        let (_t, root) = edited(
            "content/projects/gamma.md",
            "name: 伽马区域",
            &format!("name: 伽马{sep}区域"),
        );
        has(
            &fails(&root),
            "error: content/projects/gamma.md:3:9: ",
            &[&format!("U+{:04X}", sep as u32), "line break"],
        );
    }
}

#[test]
fn a_second_yaml_document_is_pointed_at() {
    let (_t, root) = edited(
        "content/projects/more/delta.yaml",
        "name: ",
        "name: 甲\n---\nname: ",
    );
    has(
        &fails(&root),
        "error: content/projects/more/delta.yaml:2:1: ",
        &["a second YAML document starts here", "a file of its own"],
    );
}

#[test]
fn an_id_too_long_says_so() {
    let long = "a".repeat(300);
    let (_t, root) = edited(
        "content/projects/gamma.md",
        "id: gamma-data-hub",
        &format!("id: {long}"),
    );
    let e = fails(&root);
    has(
        &e,
        "error: content/projects/gamma.md:2:5: ",
        &["is 300 characters long", "at most 120"],
    );
    assert!(
        !e[0].contains(&long),
        "the message shows the id cut: {}",
        e[0]
    );
}

#[test]
fn a_long_sector_name_builds() {
    let (_t, root) = edited(
        "content/projects/gamma.md",
        "sector: 物联网",
        &format!("sector: {}", "新".repeat(100)),
    );
    let o = build(&root);
    assert!(o.ok(), "{:?}", errors(&o));
}

#[test]
fn a_static_file_with_a_backslash_in_its_name_is_refused_by_name() {
    let (_t, root) = fixture("basic");
    fs::write(root.join("content/static/a\\b.txt"), "x").unwrap();
    has(
        &fails(&root),
        "error: content/static/a\\b.txt: ",
        &["backslash", "differ by platform"],
    );
}

#[cfg(target_os = "linux")]
#[test]
fn an_output_under_proc_says_it_cannot_be_created() {
    let (_t, root) = fixture("basic");
    let o = std::process::Command::new(env!("CARGO_BIN_EXE_sanpi"))
        .args(["build", ".", "-o", "/proc/sanpi-output"])
        .current_dir(&root)
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(1), "{err}");
    assert!(
        err.contains(
            "error: cannot create the output folder /proc/sanpi-output: /proc takes no new files"
        ),
        "{err}"
    );
}

#[test]
fn a_row_template_that_reads_a_pages_own_values_is_an_error_naming_it() {
    // A row is drawn once for every page that shows it: it sees no `page`.
    let (_t, root) = with_templates(&[(
        "partials/project_row.html",
        "<tr><td>{{ page.title }} {{ p.name }}</td></tr>\n",
    )]);
    let e = binary_fails(&root);
    has(
        &e,
        "error: templates/partials/project_row.html",
        &["page.title"],
    );
}
