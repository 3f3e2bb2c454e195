//! Open data (issue 30): data/oc4ids.json valid against the OC4IDS 0.9.5 schema (validated
//! offline, with the copy in tests/fixtures/oc4ids-schema), every project in it with its
//! exact budget and status; left out, with one warning, without a prefix; a malformed prefix
//! an error at its place; datapackage.json describing every CSV of the output.

mod common;

use common::*;
use serde_json::Value;
use std::path::Path;

/// Answers the package schema's reference to the project schema from the copy here.
struct Offline;

impl jsonschema::Retrieve for Offline {
    fn retrieve(
        &self,
        uri: &jsonschema::Uri<String>,
    ) -> Result<Value, Box<dyn std::error::Error + Send + Sync>> {
        if uri.as_str().ends_with("/project-schema.json") {
            let p = repo().join("tests/fixtures/oc4ids-schema/project-schema.json");
            Ok(serde_json::from_str(&read(&p))?)
        } else {
            Err(format!("{uri} is not in the offline copy").into())
        }
    }
}

fn schema_errors(doc: &Value) -> Vec<String> {
    let dir = repo().join("tests/fixtures/oc4ids-schema");
    let schema: Value =
        serde_json::from_str(&read(&dir.join("project-package-schema.json"))).unwrap();
    let v = jsonschema::options()
        .with_draft(jsonschema::Draft::Draft4)
        .should_validate_formats(true)
        .with_retriever(Offline)
        .build(&schema)
        .expect("the schema compiles");
    v.iter_errors(doc)
        .map(|e| format!("{e} at {}", e.instance_path()))
        .collect()
}

fn json(path: &Path) -> Value {
    serde_json::from_str(&read(path)).unwrap()
}

/// The sample site (content/), copied, with a prefix and a licence.
fn sample() -> (tempfile::TempDir, std::path::PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("site");
    copy_dir(&repo().join("content"), &root.join("content"));
    edit(
        &root,
        "content/site.yaml",
        "title:",
        "oc4ids_prefix: oc4ids-abc123\nlicense: CC-BY-4.0\ntitle:",
    );
    (tmp, root)
}

#[test]
fn the_sample_as_oc4ids_is_valid_with_every_project() {
    let (_tmp, root) = sample();
    let o = build(&root);
    assert!(o.ok(), "{:?}", errors(&o));
    let out = root.join("output");
    let doc = json(&out.join("data/oc4ids.json"));
    let errs = schema_errors(&doc);
    assert!(errs.is_empty(), "{errs:#?}");
    let data = json(&out.join("data/projects.json"));
    let projects = data["projects"].as_array().unwrap();
    let oc = doc["projects"].as_array().unwrap();
    assert_eq!(oc.len(), projects.len());
    assert_eq!(doc["version"], "0.9");
    assert_eq!(doc["license"], "https://spdx.org/licenses/CC-BY-4.0.html");
    // The figures' date, not the build's.
    assert_eq!(doc["publishedDate"], "2023-01-28T00:00:00+08:00");
    for (p, q) in projects.iter().zip(oc) {
        let id = p["id"].as_str().unwrap();
        assert_eq!(q["id"], format!("oc4ids-abc123-{id}"));
        assert_eq!(q["title"], p["name"]);
        let status = match p["batch"].as_str().unwrap() {
            "signed" => "preparation",
            "started" => "implementation",
            _ => "completion",
        };
        assert_eq!(q["status"], status, "{id}");
        assert_eq!(
            q.get("sector"),
            None,
            "no sector of the sample fits the codelist"
        );
        if let Some(owner) = p["owner"].as_str() {
            assert_eq!(q["parties"][0]["name"], owner);
        }
    }
}

#[test]
fn budgets_are_exact_in_yuan_and_locations_name_the_region() {
    let (_tmp, root) = fixture("regions");
    edit(
        &root,
        "content/site.yaml",
        "title:",
        "oc4ids_prefix: oc4ids-test01\ntitle:",
    );
    let o = build(&root);
    assert!(o.ok(), "{:?}", errors(&o));
    let out = root.join("output");
    let doc = json(&out.join("data/oc4ids.json"));
    let errs = schema_errors(&doc);
    assert!(errs.is_empty(), "{errs:#?}");
    let data = json(&out.join("data/projects.json"));
    let mut with_budget = 0;
    for (p, q) in data["projects"]
        .as_array()
        .unwrap()
        .iter()
        .zip(doc["projects"].as_array().unwrap())
    {
        let text = match &p["investment"] {
            Value::Null => None,
            Value::String(s) => Some(s.clone()),
            v => Some(v.to_string()),
        };
        match text {
            None => assert!(q.get("budget").is_none()),
            Some(text) => {
                // 亿元 × 10^8 in whole 元, from the decimal text, not through a float.
                let (whole, frac) = text.split_once('.').unwrap_or((&text, ""));
                let yuan: i64 = format!("{whole}{frac:0<8}").parse().unwrap();
                assert_eq!(
                    q["budget"]["amount"]["amount"].as_i64(),
                    Some(yuan),
                    "{text}"
                );
                assert_eq!(q["budget"]["amount"]["currency"], "CNY");
                with_budget += 1;
            }
        }
        if let Some(r) = p["region_name"].as_str() {
            assert_eq!(q["locations"][0]["address"]["region"], r);
        }
    }
    assert!(with_budget > 10, "{with_budget}");
}

#[test]
fn without_a_prefix_there_is_no_package_and_one_warning() {
    let (_tmp, root) = fixture("basic");
    let o = build(&root);
    assert!(o.ok());
    assert!(!root.join("output/data/oc4ids.json").exists());
    let warnings: Vec<String> = o
        .diagnostics
        .iter()
        .filter(|d| !d.is_error() && d.message.contains("oc4ids_prefix"))
        .map(|d| d.to_string())
        .collect();
    assert_eq!(warnings.len(), 1, "{warnings:?}");
    assert!(
        warnings[0].contains("oc4ids-"),
        "says how to get one: {}",
        warnings[0]
    );
}

#[test]
fn a_malformed_prefix_is_an_error_at_its_place() {
    let (_tmp, root) = fixture("basic");
    edit(
        &root,
        "content/site.yaml",
        "title:",
        "oc4ids_prefix: OC4IDS-ABC\ntitle:",
    );
    let o = build(&root);
    assert!(!o.ok());
    let e = errors(&o).join("\n");
    assert!(e.contains("content/site.yaml:1:16:"), "{e}");
}

#[test]
fn the_data_package_describes_every_csv() {
    let (_tmp, root) = fixture("regions");
    assert!(build(&root).ok());
    let out = root.join("output");
    let pkg = json(&out.join("datapackage.json"));
    let described: std::collections::BTreeMap<String, &Value> = pkg["resources"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| (r["path"].as_str().unwrap().to_string(), r))
        .collect();
    let csvs: Vec<String> = tree(&out)
        .into_iter()
        .map(|(rel, _)| rel)
        .filter(|rel| rel.ends_with(".csv"))
        .collect();
    assert!(csvs.len() > 50, "{}", csvs.len());
    for rel in &csvs {
        let r = described
            .get(rel)
            .unwrap_or_else(|| panic!("{rel} is not described"));
        let header = csv_rows(&out.join(rel));
        let fields = r["schema"]["fields"].as_array().unwrap();
        if let Some(row) = header.first() {
            let names: Vec<&str> = fields.iter().map(|f| f["name"].as_str().unwrap()).collect();
            let mut keys: Vec<&str> = row.keys().map(String::as_str).collect();
            let mut sorted = names.clone();
            sorted.sort_unstable();
            keys.sort_unstable();
            assert_eq!(sorted, keys, "{rel}");
        }
        for f in fields {
            assert!(f["type"].is_string(), "{rel}: {f}");
            if ["investment", "annual_plan", "invested"].contains(&f["name"].as_str().unwrap()) {
                assert_eq!(f["unit"], "亿元", "{rel}: {f}");
            }
        }
    }
    assert_eq!(described.len(), csvs.len());
    assert!(pkg["sources"].as_array().is_some_and(|s| !s.is_empty()));
}
