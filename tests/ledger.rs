//! `sanpi import`: ledgers made by spreadsheet libraries (tests/fixtures/ledgers/make.py)
//! imported into a fixture site through the binary, as staff would run it.

mod common;

use common::{copy_dir, read, repo, tree};
use std::path::{Path, PathBuf};
use std::process::Command;

fn ledger(name: &str) -> PathBuf {
    repo().join("tests/fixtures/ledgers").join(name)
}

/// A fresh copy of the ledger fixture site; `empty` leaves out its projects.
fn site(empty: bool) -> (tempfile::TempDir, PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("site");
    copy_dir(&repo().join("tests/fixtures/ledgers/site"), &root);
    if empty {
        std::fs::remove_dir_all(root.join("content/projects")).unwrap();
    }
    (tmp, root)
}

/// Runs `sanpi ARGS` in `cwd`; returns the exit code, stdout and stderr.
fn sanpi(cwd: &Path, args: &[&str]) -> (i32, String, String) {
    let o = Command::new(env!("CARGO_BIN_EXE_sanpi"))
        .args(args)
        .current_dir(cwd)
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    (
        o.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&o.stdout).into_owned(),
        String::from_utf8_lossy(&o.stderr).into_owned(),
    )
}

fn import(root: &Path, name: &str, period: &str, more: &[&str]) -> (i32, String, String) {
    let l = ledger(name);
    let mut args = vec![
        "import",
        l.to_str().unwrap(),
        root.to_str().unwrap(),
        "--period",
        period,
    ];
    args.extend(more);
    sanpi(root, &args)
}

fn project(root: &Path, file: &str) -> String {
    read(&root.join("content/projects").join(file))
}

fn summary(out: &str) -> &str {
    out.lines().last().unwrap_or("")
}

#[test]
fn synonyms_units_text_amounts_and_merged_cells_update_in_place() {
    let (_t, root) = site(false);
    let (code, out, err) = import(&root, "synonyms.xlsx", "7", &[]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(
        summary(&out),
        "imported 4 rows: 1 new, 2 moved, 1 changed, 0 unchanged, 1 not in the ledger"
    );
    // Moved by name: history appended in the flow style it was written in; the comments,
    // quoting, key order and the body byte for byte; 300000 万元 is the 30 亿元 it had.
    assert_eq!(
        project(&root, "tianjianhu.md"),
        "---\n# 手工录入：注释、键的顺序与引号都应保留\nname: '天健湖生命健康科技园（西区）'\nbatch: producing   # 开工一批\nperiod: 7\nhistory:\n  - {period: 2, batch: signed}\n  - {period: 3, batch: started}\ninvestment: 30     # 亿元\nannual_plan: 1.2\ninvested: 5.5\nsector: 生命健康\nlocation: 天健湖\nowner: 某某集团\nprogress: at_capacity\nextra:\n  联系人: 李工\n---\n正文 **保持不变**。\n\n第二段，行尾有两个空格  \n最后一行。\n"
    );
    assert!(out.contains("moved: 天健湖生命健康科技园（西区） (content/projects/tianjianhu.md): started → producing, period 3 → 7"), "{out}");
    // Matched by id: renamed; 1.2亿元 as text; `—`, `/`, 无 change nothing; the location
    // merged down from the row above; progress text kept under its header; the description
    // fills the empty body.
    assert_eq!(
        project(&root, "beta.yaml"),
        "id: beta-park\nname: 北斗产业园（一期）\nbatch: signed\nperiod: 4\ninvestment: 1.2\nsector: 北斗应用\nlocation: 天健湖\nowner: 北斗公司\nbody: |\n  建设北斗产业园。\nextra:\n  形象进度: 洽谈中\n"
    );
    // Matched by its name with spaces and half-width brackets; block-style history.
    let s = project(&root, "sensor-valley.md");
    assert!(s.contains("history:\n- batch: signed\n  period: 1\n  note: 首次签约\n- batch: signed\n  period: 5\n"), "{s}");
    assert!(
        s.contains("batch: started\nperiod: 7\n") && s.contains("progress: under_construction\n"),
        "{s}"
    );
    // New, from full-width digits and 第七期; its description is the body.
    assert_eq!(
        project(&root, "xin-xiang-mu-jia.md"),
        "---\nname: \"新项目甲\"\nbatch: started  # signed | started | producing\nperiod: 7  # the period it entered this batch\ninvestment: 1.2345\nannual_plan: 0.15\nsector: 新材料\nlocation: 科学谷\nowner: 甲公司\nprogress: pending\n---\n建设厂房两栋。\n"
    );
    // Not in the ledger: reported, never deleted.
    assert!(out.contains("not in the ledger: 遗留项目 (content/projects/legacy.md)"));
    assert!(root.join("content/projects/legacy.md").is_file());
    // The 小计 that does not add up and the differing description are warnings.
    assert!(
        err.contains("synonyms.xlsx:第七期!F9: 小计 99.9999 is not the sum of its 4 rows, 37.4345"),
        "{err}"
    );
    assert!(
        err.contains("warning: content/projects/tianjianhu.md: the ledger's description"),
        "{err}"
    );
    // The site builds, and a second import changes nothing.
    assert!(common::build(&root).ok());
    std::fs::remove_dir_all(root.join("output")).unwrap();
    let before = tree(&root);
    let (code, out, _) = import(&root, "synonyms.xlsx", "7", &[]);
    assert_eq!(code, 0);
    assert_eq!(
        summary(&out),
        "imported 4 rows: 0 new, 0 moved, 0 changed, 4 unchanged, 1 not in the ledger"
    );
    assert_eq!(tree(&root), before);
}

/// Every project file, for comparing imports.
fn projects(root: &Path) -> Vec<(String, Vec<u8>)> {
    tree(&root.join("content/projects"))
}

#[test]
fn the_same_ledger_saved_by_libreoffice_as_ods_and_xls_imports_the_same() {
    let (_t, root) = site(false);
    let (_, want, _) = import(&root, "synonyms.xlsx", "7", &[]);
    let expected = projects(&root);
    for name in ["synonyms-lo.ods", "synonyms-lo.xls"] {
        let (_t, root) = site(false);
        let (code, out, err) = import(&root, name, "7", &[]);
        assert_eq!(code, 0, "{name}: {err}");
        assert_eq!(out, want, "{name}");
        assert_eq!(projects(&root), expected, "{name}");
        assert!(
            err.contains(&format!("{name}:第七期!F9: 小计 99.9999")),
            "{name}: {err}"
        );
    }
}

#[test]
fn sections_merged_cells_and_subtotals_from_ods() {
    let (_t, root) = site(true);
    let (code, out, err) = import(&root, "sections.ods", "2", &[]);
    assert_eq!(code, 0, "{err}");
    assert!(
        !err.contains("warning: "),
        "the 小计 and 合计 add up: {err}"
    );
    assert_eq!(
        summary(&out),
        "imported 4 rows: 4 new, 0 moved, 0 changed, 0 unchanged, 0 not in the ledger"
    );
    assert_eq!(
        project(&root, "qian-yue-jia.md"),
        "---\nname: \"签约甲\"\nbatch: signed  # signed | started | producing\nperiod: 2  # the period it entered this batch\ninvestment: 1.25\nowner: 甲公司\n---\n"
    );
    // The owner merged down over two rows is each row's.
    assert!(project(&root, "qian-yue-yi.md").contains("owner: 甲公司\n"));
    assert!(project(&root, "kai-gong-bing.md").contains("batch: started  #"));
    assert!(project(&root, "tou-chan-ding.md")
        .contains("batch: producing  # signed | started | producing\nperiod: 2  # the period it entered this batch\ninvestment: 0.3\n"));
}

#[test]
fn xls_with_two_header_rows_sections_merged_across_and_cells_merged_down() {
    let (_t, root) = site(true);
    let (code, out, err) = import(&root, "legacy.xls", "3", &[]);
    assert_eq!(code, 0, "{err}");
    assert!(summary(&out).starts_with("imported 3 rows: 3 new"), "{out}");
    assert_eq!(
        project(&root, "lao-xiang-mu-ji.md"),
        "---\nname: \"老项目己\"\nbatch: started  # signed | started | producing\nperiod: 3  # the period it entered this batch\ninvestment: 0.25\nsector: 装备制造\nlocation: 西区\nextra:\n  备注: 续建\n---\n"
    );
    // 总投资 and 2025年计划投资 under 投资情况（万元）: two header rows, the unit from above.
    assert!(project(&root, "lao-xiang-mu-wu.md")
        .contains("investment: 2\nannual_plan: 0.3\nsector: 装备制造\n"));
    assert!(project(&root, "lao-xiang-mu-geng.md")
        .contains("batch: producing  # signed | started | producing\nperiod: 3  # the period it entered this batch\ninvestment: 0.08\n"));
}

#[test]
fn gb18030_and_utf8_csv_with_chinese_periods() {
    for name in ["gbk.csv", "utf8-bom.csv"] {
        let (_t, root) = site(true);
        let (code, out, err) = import(&root, name, "1", &[]);
        assert_eq!(code, 0, "{name}: {err}");
        assert!(summary(&out).starts_with("imported 2 rows: 2 new"), "{out}");
        assert_eq!(
            project(&root, "fang-zhi-yuan.md"),
            "---\nname: \"纺织园\"\nbatch: signed  # signed | started | producing\nperiod: 3  # the period it entered this batch\ninvestment: 0.12\nprogress: fulfilled\n---\n",
            "{name}"
        );
        assert!(project(&root, "shi-pin-cheng.md").contains("batch: producing  # signed | started | producing\nperiod: 3  # the period it entered this batch\n"));
    }
}

#[test]
fn errors_name_their_cells_and_nothing_is_written() {
    let (_t, root) = site(false);
    let before = tree(&root);
    let dir = repo().join("tests/fixtures/ledgers");
    let (code, out, err) = sanpi(
        &dir,
        &[
            "import",
            "bad.xlsx",
            root.to_str().unwrap(),
            "--period",
            "3",
        ],
    );
    assert_eq!(code, 1, "{out}{err}");
    let errors: Vec<&str> = err.lines().filter(|l| l.starts_with("error: ")).collect();
    assert_eq!(
        errors,
        [
            "error: bad.xlsx:项目台账!D2: \"约5亿\" is not an amount",
            "error: bad.xlsx:项目台账!B3: \"已完成\" is not a batch: write 签约, 开工 or 投产 (or signed, started, producing)",
            "error: bad.xlsx:项目台账!C4: \"下期\" is not a period: write 7, 第7期 or 第七期",
        ]
    );
    assert!(out.is_empty());
    assert_eq!(tree(&root), before);
    // A CSV names row and column; a period the site lacks is an error too.
    let csv = root.join("bad.csv");
    std::fs::write(&csv, "项目名称,总投资\n甲,1\n乙,很多\n").unwrap();
    let (code, _, err) = sanpi(&root, &["import", "bad.csv", ".", "--period", "3"]);
    assert_eq!(code, 1);
    assert!(
        err.contains("error: bad.csv:3:2: \"很多\" is not an amount"),
        "{err}"
    );
    let (code, _, err) = sanpi(&root, &["import", "bad.csv", ".", "--period", "9"]);
    assert_eq!(code, 1);
    assert!(
        err.contains("--period 9 is not a period of the site"),
        "{err}"
    );
    std::fs::remove_file(&csv).unwrap();
    assert_eq!(tree(&root), before);
}

#[test]
fn usage_errors_exit_2() {
    let (_t, root) = site(false);
    let l = ledger("gbk.csv");
    let (code, _, _) = sanpi(&root, &["import", l.to_str().unwrap(), "."]);
    assert_eq!(code, 2, "--period is required");
    let (code, _, _) = sanpi(
        &root,
        &["import", l.to_str().unwrap(), ".", "--period", "0"],
    );
    assert_eq!(code, 2);
}

#[test]
fn dry_run_prints_the_same_and_writes_nothing() {
    let (_t, root) = site(false);
    let before = tree(&root);
    let (code, dry, _) = import(&root, "synonyms.xlsx", "7", &["--dry-run"]);
    assert_eq!(code, 0);
    assert_eq!(tree(&root), before);
    let (_, real, _) = import(&root, "synonyms.xlsx", "7", &[]);
    assert_eq!(dry.replace(" (dry run: nothing was written)", ""), real);
    assert_ne!(tree(&root), before);
}

#[test]
fn the_built_xlsx_and_csv_import_back_with_no_change() {
    let (_t, root) = site(false);
    assert_eq!(import(&root, "synonyms.xlsx", "7", &[]).0, 0);
    // A state and, by hand, progress text beside it: the round trip keeps both.
    std::fs::write(
        root.join("content/projects/legacy.md"),
        "---\nname: 遗留项目\nbatch: producing\nperiod: 1\nprogress: in_production\nextra:\n  进展情况: 满负荷生产\n---\n不在台账中的项目。\n",
    )
    .unwrap();
    let out = root.parent().unwrap().join("out");
    let o = sanpi::build(&sanpi::BuildOptions {
        output: Some(out.clone()),
        ..sanpi::BuildOptions::new(&root)
    });
    assert!(o.ok());
    let xlsx = std::fs::read(out.join("data/projects.xlsx")).unwrap();
    // Deterministic: a second build gives the same bytes.
    let out2 = root.parent().unwrap().join("out2");
    assert!(sanpi::build(&sanpi::BuildOptions {
        output: Some(out2.clone()),
        ..sanpi::BuildOptions::new(&root)
    })
    .ok());
    assert_eq!(
        std::fs::read(out2.join("data/projects.xlsx")).unwrap(),
        xlsx
    );
    let before = tree(&root);
    for file in ["data/projects.xlsx", "data/projects.csv"] {
        let f = out.join(file);
        let (code, text, err) = sanpi(
            &root,
            &["import", f.to_str().unwrap(), ".", "--period", "7"],
        );
        assert_eq!(code, 0, "{err}");
        assert_eq!(
            summary(&text),
            "imported 5 rows: 0 new, 0 moved, 0 changed, 5 unchanged, 0 not in the ledger",
            "{file}"
        );
        assert_eq!(tree(&root), before, "{file}");
    }
}
