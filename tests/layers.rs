//! The modules form a stack that only points down (ARCHITECTURE.md, "Layers"): a module may
//! use modules of lower layers only. This test reads every `crate::NAME` and
//! `use crate::{NAME, …}` outside test code, so that a change that reaches up fails here
//! rather than in review.

use std::collections::BTreeMap;
use std::fs;
use std::path::Path;

/// The layers, lowest first; the same table as ARCHITECTURE.md.
const LAYERS: &[&[&str]] = &[
    &[
        "diagnostics",
        "text",
        "csvfile",
        "escape",
        "slug",
        "progress",
        "model",
        "license",
        "portal",
        "terminal",
    ],
    &["amount", "source", "yaml", "urls"],
    &["labels", "config", "shortcode"],
    &["markdown", "columns"],
    &["content"],
    &["site"],
    &["charts"],
    &["plan", "share"],
    &["render", "cards"],
    &["output"],
    &["build", "new", "init", "report"],
    &["ledger", "serve"],
];

fn layer_of(module: &str) -> Option<usize> {
    LAYERS.iter().position(|l| l.contains(&module))
}

/// The top-level modules each file of `src/` uses, by the file's own top-level module.
fn uses() -> BTreeMap<String, Vec<(String, String)>> {
    let mut out: BTreeMap<String, Vec<(String, String)>> = BTreeMap::new();
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    for e in walkdir::WalkDir::new(&src) {
        let e = e.unwrap();
        let rel = e
            .path()
            .strip_prefix(&src)
            .unwrap()
            .to_string_lossy()
            .into_owned();
        if !rel.ends_with(".rs") || rel == "lib.rs" || rel == "main.rs" {
            continue;
        }
        let top = rel
            .split('/')
            .next()
            .unwrap()
            .trim_end_matches(".rs")
            .to_string();
        let text = fs::read_to_string(e.path()).unwrap();
        let code = text.split("#[cfg(test)]").next().unwrap();
        for line in code.lines().filter(|l| !l.trim_start().starts_with("//")) {
            let mut names: Vec<String> = Vec::new();
            for part in line.split("crate::").skip(1) {
                if let Some(list) = part.strip_prefix('{') {
                    let list = list.split('}').next().unwrap_or("");
                    names.extend(
                        list.split(',')
                            .map(|n| n.trim().split("::").next().unwrap_or("").to_string()),
                    );
                } else {
                    let name: String = part
                        .chars()
                        .take_while(|c| c.is_alphanumeric() || *c == '_')
                        .collect();
                    names.push(name);
                }
            }
            for n in names.into_iter().filter(|n| !n.is_empty() && *n != top) {
                out.entry(top.clone()).or_default().push((n, rel.clone()));
            }
        }
    }
    out
}

#[test]
fn every_module_has_a_layer() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut missing = Vec::new();
    for e in fs::read_dir(&src).unwrap() {
        let name = e.unwrap().file_name().to_string_lossy().into_owned();
        let module = name.trim_end_matches(".rs");
        if module != "lib" && module != "main" && layer_of(module).is_none() {
            missing.push(module.to_string());
        }
    }
    assert!(
        missing.is_empty(),
        "give these a layer here and in ARCHITECTURE.md: {missing:?}"
    );
}

#[test]
fn modules_only_use_lower_layers() {
    let mut wrong = Vec::new();
    for (module, used) in uses() {
        let Some(mine) = layer_of(&module) else {
            continue;
        };
        for (other, file) in used {
            match layer_of(&other) {
                Some(theirs) if theirs < mine => {}
                // Items of the crate root (BuildOptions and the like) are the build layer's.
                None if layer_of("build").is_some_and(|b| b < mine) => {}
                _ => wrong.push(format!("{file}: {module} uses {other}")),
            }
        }
    }
    wrong.sort();
    wrong.dedup();
    assert!(
        wrong.is_empty(),
        "a module reaches up or sideways:\n{}",
        wrong.join("\n")
    );
}
