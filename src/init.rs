//! `sanpi init DIR`: a new site that builds at once, with the default theme written out.

use crate::render::theme;
use std::fs;
use std::io;
use std::path::Path;

const SITE_YAML: &str = "# Site settings: see docs/format.md of sanpi for every key.\ntitle: 我的“三个一批”项目进展\n# base_url: https://example.gov.cn/sanpi/\ndescription: “三个一批”项目建设进展公报\nlanguage: zh-CN\nunit: 亿元\n";
const PERIOD: &str = "number: 1\ntitle: 第一期“三个一批”项目建设活动\n# date: 2023-01-28\n";
const PROJECT: &str = "---\nname: 示例项目\nbatch: signed\nperiod: 1\n# investment: 10.5\n# sector: 新材料\ndraft: true\n---\n这是一个示例项目（草稿，不会发布）。复制本文件，改写字段，删去 `draft: true` 即可发布。\n";
const PAGE: &str = "---\ntitle: 关于本站\n---\n本站发布“三个一批”项目建设进展。\n";

/// Files of a new site, besides the theme: path, text.
const FILES: &[(&str, &str)] = &[
    ("content/site.yaml", SITE_YAML),
    ("content/periods/01.yaml", PERIOD),
    ("content/projects/example.md", PROJECT),
    ("content/pages/about.md", PAGE),
    (".gitignore", "/output\n/.output.sanpi-*\n/.sanpi\n"),
];

/// Creates a site in `dir`, which must be missing or empty.
pub fn init(dir: &Path) -> io::Result<usize> {
    if dir.exists() && fs::read_dir(dir)?.next().is_some() {
        return Err(io::Error::new(
            io::ErrorKind::AlreadyExists,
            format!("{} exists and is not empty", dir.display()),
        ));
    }
    let mut n = 0;
    let mut put = |rel: &str, bytes: &[u8]| -> io::Result<()> {
        let p = dir.join(rel);
        if let Some(parent) = p.parent() {
            fs::create_dir_all(parent)?;
        }
        fs::write(p, bytes)?;
        n += 1;
        Ok(())
    };
    for (rel, text) in FILES {
        put(rel, text.as_bytes())?;
    }
    for (name, text) in theme::TEMPLATES {
        put(&format!("themes/default/templates/{name}"), text.as_bytes())?;
    }
    for (name, bytes) in theme::STATIC {
        put(&format!("themes/default/static/{name}"), bytes)?;
    }
    Ok(n)
}
