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
        "imported 4 rows: 1 new, 2 moved, 1 changed, 0 unchanged, 1 not in the ledger, 0 reverted"
    );
    // Moved by name: history appended in the flow style it was written in; the comments,
    // quoting, key order and the body byte for byte; 300000 万元 is the 30 亿元 it had.
    assert_eq!(
        project(&root, "tianjianhu.md"),
        "---\n# 手工录入：注释、键的顺序与引号都应保留\nname: '天健湖生命健康科技园（西区）'\nbatch: producing   # 开工一批\nperiod: 7\nhistory:\n  - {period: 2, batch: signed}\n  - {period: 3, batch: started}\ninvestment: 30     # 亿元\nannual_plan: 1.2\ninvested: 5.5\nsector: 生命健康\nlocation: 天健湖\nowner: 某某集团\nprogress: at_capacity\nextra:\n  联系人: 李工\n---\n正文 **保持不变**。\n\n第二段，行尾有两个空格  \n最后一行。\n"
    );
    assert!(out.contains("moved: 天健湖生命健康科技园（西区） (content/projects/tianjianhu.md): started → producing, period 3 → 7"), "{out}");
    // Matched by id: renamed; 1.2亿元 as text; `—`, `/`, 无 change nothing; the location
    // merged down from the row above; progress text kept under 进展情况 (whichever synonym
    // heads the column: here 形象进度); the description
    // fills the empty body.
    assert_eq!(
        project(&root, "beta.yaml"),
        "id: beta-park\nname: 北斗产业园（一期）\nbatch: signed\nperiod: 4\ninvestment: 1.2\nsector: 北斗应用\nlocation: 天健湖\nowner: 北斗公司\nbody: |\n  建设北斗产业园。\nextra:\n  进展情况: 洽谈中\n"
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
        "imported 4 rows: 0 new, 0 moved, 0 changed, 4 unchanged, 1 not in the ledger, 0 reverted"
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
        "imported 4 rows: 4 new, 0 moved, 0 changed, 0 unchanged, 0 not in the ledger, 0 reverted"
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
            "imported 5 rows: 0 new, 0 moved, 0 changed, 5 unchanged, 0 not in the ledger, 0 reverted",
            "{file}"
        );
        assert_eq!(tree(&root), before, "{file}");
    }
}

/// Writes a minimal xlsx workbook at `path`: one sheet `S` whose `<worksheet>` content is
/// `sheet`, a second style (index 1) formatted as a date, and the `more` parts.
fn xlsx(path: &Path, sheet: &str, more: &[(&str, &[u8])]) {
    use std::io::Write;
    let mut z = zip::ZipWriter::new(std::fs::File::create(path).unwrap());
    let o = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    let mut parts: Vec<(&str, Vec<u8>)> = vec![
        ("[Content_Types].xml", br#"<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>"#.to_vec()),
        ("_rels/.rels", br#"<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>"#.to_vec()),
        ("xl/workbook.xml", br#"<?xml version="1.0"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="S" sheetId="1" r:id="rId1"/></sheets></workbook>"#.to_vec()),
        ("xl/_rels/workbook.xml.rels", br#"<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/></Relationships>"#.to_vec()),
        ("xl/styles.xml", br#"<?xml version="1.0"?><styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><cellXfs count="2"><xf numFmtId="0"/><xf numFmtId="14" applyNumberFormat="1"/></cellXfs></styleSheet>"#.to_vec()),
        ("xl/worksheets/sheet1.xml", format!(r#"<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">{sheet}</worksheet>"#).into_bytes()),
    ];
    parts.extend(more.iter().map(|(n, b)| (*n, b.to_vec())));
    for (name, bytes) in parts {
        z.start_file(name, o).unwrap();
        z.write_all(&bytes).unwrap();
    }
    z.finish().unwrap();
}

/// An inline-string cell.
fn s(at: &str, text: &str) -> String {
    format!(r#"<c r="{at}" t="inlineStr"><is><t>{text}</t></is></c>"#)
}

/// The header row of a small ledger: name, batch, investment, and 开工时间 (kept in extra).
fn head_row() -> String {
    format!(
        r#"<row r="1">{}{}{}{}</row>"#,
        s("A1", "项目名称"),
        s("B1", "批次"),
        s("C1", "总投资（亿元）"),
        s("D1", "开工时间")
    )
}

fn import_file(root: &Path, file: &Path, period: &str) -> (i32, String, String) {
    sanpi(
        root,
        &["import", file.to_str().unwrap(), ".", "--period", period],
    )
}

#[test]
fn a_stray_far_cell_and_a_whole_sheet_dimension_cost_no_memory() {
    let (t, root) = site(true);
    let f = t.path().join("far.xlsx");
    let sheet = format!(
        r#"<dimension ref="A1:XFD1048576"/><sheetData>{}<row r="2">{}{}</row><row r="500000"><c r="ZZ500000"><v>1</v></c></row><row r="1048576"><c r="XFD1048576"><v>2</v></c></row></sheetData>"#,
        head_row(),
        s("A2", "远端项目"),
        s("B2", "签约")
    );
    xlsx(&f, &sheet, &[]);
    let (code, out, err) = import_file(&root, &f, "3");
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("new: 远端项目"), "{out}");
}

#[test]
fn a_huge_shared_string_is_refused_naming_the_file() {
    let (t, root) = site(true);
    let f = t.path().join("big.xlsx");
    let big = format!(
        r#"<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><si><t>{}</t></si></sst>"#,
        "x".repeat(65 << 20)
    );
    let sheet = format!(
        r#"<sheetData>{}<row r="2"><c r="A2" t="s"><v>0</v></c></row></sheetData>"#,
        head_row()
    );
    xlsx(&f, &sheet, &[("xl/sharedStrings.xml", big.as_bytes())]);
    let (code, _, err) = import_file(&root, &f, "3");
    assert_eq!(code, 1);
    assert!(
        err.contains("big.xlsx: xl/sharedStrings.xml in the ledger unpacks to more than 64 MB"),
        "{err}"
    );
    // A string longer than a cell may hold is an error at the cell that uses it.
    let long = format!(
        r#"<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><si><t>{}</t></si></sst>"#,
        "长".repeat(40_000)
    );
    xlsx(&f, &sheet, &[("xl/sharedStrings.xml", long.as_bytes())]);
    let (code, _, err) = import_file(&root, &f, "3");
    assert_eq!(code, 1);
    assert!(
        err.contains("big.xlsx:S!A2: this cell holds 40000 characters, more than the 32767"),
        "{err}"
    );
}

#[test]
fn an_ods_repeating_a_value_over_the_sheet_is_refused_at_its_cell() {
    use std::io::Write;
    let (t, root) = site(true);
    let f = t.path().join("repeat.ods");
    let mut z = zip::ZipWriter::new(std::fs::File::create(&f).unwrap());
    let o = zip::write::SimpleFileOptions::default();
    z.start_file("mimetype", o).unwrap();
    z.write_all(b"application/vnd.oasis.opendocument.spreadsheet")
        .unwrap();
    z.start_file("content.xml", o).unwrap();
    z.write_all(r#"<?xml version="1.0"?><office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"><office:body><office:spreadsheet><table:table table:name="T"><table:table-row><table:table-cell office:value-type="string"><text:p>项目名称</text:p></table:table-cell></table:table-row><table:table-row table:number-rows-repeated="1048575"><table:table-cell table:number-columns-repeated="16384" office:value-type="float" office:value="1"/></table:table-row></table:table></office:spreadsheet></office:body></office:document-content>"#.as_bytes()).unwrap();
    z.finish().unwrap();
    let (code, _, err) = import_file(&root, &f, "3");
    assert_eq!(code, 1);
    assert!(
        err.contains("repeat.ods:T!B2: the ledger holds more than 2000000 cells with values"),
        "{err}"
    );
}

#[test]
fn dates_import_as_dates_and_a_date_in_an_amount_column_is_an_error_at_its_cell() {
    let (t, root) = site(true);
    let f = t.path().join("dates.xlsx");
    // 45474 is 2024-07-01, 45366 2024-03-15 (style 1 is a date format).
    let row = |amount: &str| {
        format!(
            r#"<sheetData>{}<row r="2">{}{}{amount}<c r="D2" s="1"><v>45474</v></c></row></sheetData>"#,
            head_row(),
            s("A2", "日期项目"),
            s("B2", "开工")
        )
    };
    xlsx(&f, &row(r#"<c r="C2" s="1"><v>45366</v></c>"#), &[]);
    let (code, _, err) = import_file(&root, &f, "3");
    assert_eq!(code, 1);
    assert!(
        err.contains("dates.xlsx:S!C2: \"2024-03-15\" is a date, not an amount"),
        "{err}"
    );
    xlsx(&f, &row(r#"<c r="C2"><v>3.5</v></c>"#), &[]);
    let (code, _, err) = import_file(&root, &f, "3");
    assert_eq!(code, 0, "{err}");
    let text = std::fs::read_to_string(root.join("content/projects/ri-qi-xiang-mu.md"))
        .or_else(|_| {
            let e = std::fs::read_dir(root.join("content/projects")).unwrap();
            std::fs::read_to_string(e.into_iter().next().unwrap().unwrap().path())
        })
        .unwrap();
    // A 开工时间 date is a milestone (issue 26, item 5).
    assert!(
        text.contains("milestones:\n  - {date: 2024-07-01, title: 开工, note: 据项目台账}\n"),
        "{text}"
    );
    assert!(text.contains("investment: 3.5"), "{text}");
}

#[test]
fn a_formula_saved_without_its_value_is_an_error_at_its_cell() {
    let (t, root) = site(true);
    let f = t.path().join("formula.xlsx");
    let sheet = format!(
        r#"<sheetData>{}<row r="2">{}{}<c r="C2"><f>SUM(1,2)</f></c></row></sheetData>"#,
        head_row(),
        s("A2", "公式项目"),
        s("B2", "签约")
    );
    xlsx(&f, &sheet, &[]);
    let before = tree(&root);
    let (code, _, err) = import_file(&root, &f, "3");
    assert_eq!(code, 1);
    assert!(
        err.contains("formula.xlsx:S!C2: this formula was saved without its value"),
        "{err}"
    );
    assert_eq!(tree(&root), before);
}

fn import_csv(root: &Path, text: &str, period: &str) -> (i32, String, String) {
    std::fs::write(root.join("l.csv"), text).unwrap();
    let r = sanpi(root, &["import", "l.csv", ".", "--period", period]);
    std::fs::remove_file(root.join("l.csv")).unwrap();
    r
}

#[test]
fn duplicate_ids_in_a_ledger_name_both_rows() {
    let (_t, root) = site(true);
    let before = tree(&root);
    let (code, _, err) = import_csv(
        &root,
        "项目编号,项目名称,批次\nabc,甲,签约\nabc,乙,签约\n",
        "3",
    );
    assert_eq!(code, 1);
    assert!(
        err.contains("error: l.csv:3:1: the id `abc` is already on row 2"),
        "{err}"
    );
    assert_eq!(tree(&root), before);
}

#[test]
fn an_id_that_is_not_a_slug_is_an_error_at_its_cell() {
    let (_t, root) = site(false);
    let before = tree(&root);
    let (code, _, err) = import_csv(
        &root,
        "项目编号,项目名称,批次\nBETA-PARK,北斗产业园,开工\n",
        "3",
    );
    assert_eq!(code, 1);
    assert!(
        err.contains("error: l.csv:2:1: \"BETA-PARK\" is not a project id"),
        "{err}"
    );
    assert_eq!(tree(&root), before);
}

#[test]
fn thousands_separators_only_in_groups_of_three() {
    let (_t, root) = site(false);
    let (code, _, err) = import_csv(&root, "项目名称,总投资（万元）\n北斗产业园,\"1,23\"\n", "3");
    assert_eq!(code, 1);
    assert!(
        err.contains("error: l.csv:2:2: \"1,23\" is not an amount"),
        "{err}"
    );
    let (code, out, err) = import_csv(
        &root,
        "项目名称,总投资（万元）\n北斗产业园,\"130，000\"\n",
        "3",
    );
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("investment 12.5 → 13"), "{out}");
}

#[test]
fn a_batch_change_with_a_stale_period_cell_moves_in_the_import_period() {
    let (_t, root) = site(false);
    // 北斗产业园 is signed in period 4; the exported ledger still says 4 in its 期次 column.
    let (code, out, err) = import_csv(&root, "项目名称,批次,期次\n北斗产业园,开工,4\n", "6");
    assert_eq!(code, 0, "{err}");
    assert!(
        out.contains(
            "signed → started, period 4 → 6 (--period 6: the row's period cell still says 4)"
        ),
        "{out}"
    );
    let text = project(&root, "beta.yaml");
    assert!(text.contains("period: 6"), "{text}");
}

#[test]
fn control_characters_in_cells_are_shown_escaped() {
    let (_t, root) = site(true);
    let (code, out, err) = import_csv(
        &root,
        "项目名称,批次,总投资\n\"\u{1b}[2J清屏\u{1b}]8;;http://x\u{7}链\",签约,1\n乙\u{202e},签约,\"\u{1b}[31m\r1\"\n",
        "3",
    );
    assert_eq!(code, 1, "{out}");
    assert!(
        !err.contains('\u{1b}') && !err.contains('\r') && !err.contains('\u{202e}'),
        "{err:?}"
    );
    assert!(
        err.contains(r#""\u{1b}[31m\u{d}1" is not an amount"#),
        "{err}"
    );
    let (code, out, err) = import_csv(&root, "项目名称,批次\n\"\u{1b}[2J清\r屏\",签约\n", "3");
    assert_eq!(code, 0, "{err}");
    assert!(!out.contains('\u{1b}') && !out.contains('\r'), "{out:?}");
    assert!(out.contains(r"new: \u{1b}[2J清\u{d}屏"), "{out}");
}

#[test]
fn two_imports_into_one_site_keep_both_changes() {
    for _ in 0..4 {
        let (_t, root) = site(false);
        std::fs::write(root.join("a.csv"), "项目名称,总投资\n北斗产业园,20\n").unwrap();
        std::fs::write(root.join("b.csv"), "项目名称,建设单位\n北斗产业园,新业主\n").unwrap();
        let run = |f: &str| {
            Command::new(env!("CARGO_BIN_EXE_sanpi"))
                .args(["import", f, ".", "--period", "4"])
                .current_dir(&root)
                .output()
                .unwrap()
        };
        let (a, b) = std::thread::scope(|s| {
            let a = s.spawn(|| run("a.csv"));
            let b = s.spawn(|| run("b.csv"));
            (a.join().unwrap(), b.join().unwrap())
        });
        assert!(
            a.status.success() && b.status.success(),
            "{}{}",
            String::from_utf8_lossy(&a.stderr),
            String::from_utf8_lossy(&b.stderr)
        );
        let text = project(&root, "beta.yaml");
        assert!(
            text.contains("investment: 20") && text.contains("owner: 新业主"),
            "{text}"
        );
    }
}

/// Issue 26, item 6: setting a project's 批次 back undoes its last move: the history entry
/// it returns to is popped and its period restored (the file is as it was before the move),
/// the report says `reverted`, the summary counts it at its end, and `sanpi check` says
/// nothing about the project.
#[test]
fn setting_a_batch_back_reverts_the_move() {
    let (_t, root) = site(false);
    let before = project(&root, "beta.yaml");
    let (code, out, err) = import_csv(&root, "项目名称,批次\n北斗产业园,开工\n", "6");
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("moved: 北斗产业园"), "{out}");
    assert!(project(&root, "beta.yaml").contains("history:"));
    let (code, out, err) = import_csv(
        &root,
        "项目名称,批次\n北斗产业园,签约\n天健湖生命健康科技园（西区）,签约\n",
        "7",
    );
    assert_eq!(code, 0, "{err}");
    assert!(
        out.contains(
            "reverted: 北斗产业园 (content/projects/beta.yaml): started → signed, period 6 → 4"
        ),
        "{out}"
    );
    assert!(
        out.contains("reverted: 天健湖生命健康科技园（西区） (content/projects/tianjianhu.md): started → signed, period 3 → 2"),
        "{out}"
    );
    assert_eq!(
        summary(&out),
        "imported 2 rows: 0 new, 0 moved, 0 changed, 0 unchanged, 2 not in the ledger, 2 reverted"
    );
    assert_eq!(project(&root, "beta.yaml"), before);
    let t = project(&root, "tianjianhu.md");
    assert!(
        t.contains("batch: signed   # 开工一批\nperiod: 2\ninvestment: 30"),
        "{t}"
    );
    assert!(!t.contains("history"), "{t}");
    let (code, out, err) = sanpi(&root, &["check", "."]);
    assert_eq!(code, 0, "{err}");
    for f in ["beta.yaml", "tianjianhu.md"] {
        assert!(!err.contains(f) && !out.contains(f), "{out}{err}");
    }
    // Importing the same ledger again changes nothing.
    let (code, out, _) = import_csv(
        &root,
        "项目名称,批次\n北斗产业园,签约\n天健湖生命健康科技园（西区）,签约\n",
        "7",
    );
    assert_eq!(code, 0);
    assert!(summary(&out).contains("2 unchanged"), "{out}");
}

/// Issue 26, item 5: the words staff use are read as their keys; date columns become
/// milestones that a later import replaces rather than duplicates, beside milestones written
/// by hand that are never touched; a cell that is no full date stays under extra with a
/// warning; 备注 is kept quietly, an unknown column with one warning; renaming 形象进度 to
/// 项目进展 changes nothing, and text an older import kept under 形象进度 moves to 进展情况.
#[test]
fn words_staff_use_dates_become_milestones_and_unknown_columns_are_said() {
    let (_t, root) = site(false);
    std::fs::write(
        root.join("content/projects/hand.md"),
        "---\nname: 手工项目\nbatch: started\nperiod: 3\nmilestones:\n  - {date: 2022-12-25, title: 开工}\n  - date: 2023-01-10\n    title: 主体封顶\nextra:\n  形象进度: 洽谈中\n---\n正文\n",
    )
    .unwrap();
    let ledger = |progress: &str, started: &str| {
        format!(
            "项目名称,批次,投资总额,责任单位,项目地址,开工时间,计划开工时间,投产时间,备注,{progress},联系电话\n\
             手工项目,开工,15,新业主,高新区,{started},2023年3月,2024/6/30,重点,洽谈中,12345\n"
        )
    };
    let (code, out, err) = import_csv(&root, &ledger("形象进度", "2023-03-15"), "3");
    assert_eq!(code, 0, "{err}");
    assert_eq!(
        err.matches("kept under extra").count(),
        2,
        "one warning for the unknown column, one for the cell that is no date: {err}"
    );
    assert!(
        err.contains("warning: l.csv:1:11: column '联系电话' kept under extra"),
        "{err}"
    );
    assert!(
        err.contains("warning: l.csv:2:7: \"2023年3月\" is not a full date (such as 2023-03-15), so it is no milestone `计划开工`: kept under extra as `计划开工时间`"),
        "{err}"
    );
    assert!(
        out.contains("changed: 手工项目 (content/projects/hand.md): "),
        "{out}"
    );
    let text = project(&root, "hand.md");
    assert_eq!(
        text,
        "---\nname: 手工项目\nbatch: started\nperiod: 3\ninvestment: 15\nlocation: 高新区\nowner: 新业主\nmilestones:\n  - {date: 2022-12-25, title: 开工}\n  - date: 2023-01-10\n    title: 主体封顶\n  - {date: 2023-03-15, title: 开工, note: 据项目台账}\n  - {date: 2024-06-30, title: 投产, note: 据项目台账}\nextra:\n  计划开工时间: 2023年3月\n  备注: 重点\n  进展情况: 洽谈中\n  联系电话: \"12345\"\n---\n正文\n"
    );
    // The column renamed to its synonym and the start moved: one milestone replaced.
    let (code, out, err) = import_csv(&root, &ledger("项目进展", "2023-04-01"), "3");
    assert_eq!(code, 0, "{err}");
    assert!(
        out.contains("changed: 手工项目 (content/projects/hand.md): milestone 开工 2023-03-15 → 2023-04-01\n"),
        "{out}"
    );
    let text = project(&root, "hand.md");
    assert!(
        text.contains("milestones:\n  - {date: 2022-12-25, title: 开工}\n  - date: 2023-01-10\n    title: 主体封顶\n  - {date: 2023-04-01, title: 开工, note: 据项目台账}\n  - {date: 2024-06-30, title: 投产, note: 据项目台账}\nextra:\n"),
        "{text}"
    );
    assert_eq!(text.matches("洽谈中").count(), 1, "{text}");
    // The same ledger again: nothing changes; the site checks clean of the project.
    let before = tree(&root);
    let (code, out, err) = import_csv(&root, &ledger("项目进展", "2023-04-01"), "3");
    assert_eq!(code, 0);
    assert!(summary(&out).contains(", 0 changed, "), "{out}");
    assert!(
        !err.contains("column '联系电话'"),
        "a column the site already keeps under extra was said on the first import: {err}"
    );
    assert_eq!(tree(&root), before);
    let (code, out, err) = sanpi(&root, &["check", "."]);
    assert_eq!(code, 0, "{err}");
    assert!(
        !err.contains("hand.md") && !out.contains("hand.md"),
        "{err}"
    );
    // The planned start now a full date: a milestone, and the text kept before is gone.
    let (code, out, err) = import_csv(
        &root,
        &ledger("项目进展", "2023-04-01").replace("2023年3月", "2023-03-01"),
        "3",
    );
    assert_eq!(code, 0, "{err}");
    assert!(
        out.contains("changed: 手工项目 (content/projects/hand.md): extra.计划开工时间 2023年3月 → none, milestone 计划开工 none → 2023-03-01\n"),
        "{out}"
    );
    let text = project(&root, "hand.md");
    assert!(!text.contains("2023年3月"), "{text}");
    assert!(
        text.contains("  - {date: 2023-03-01, title: 计划开工, note: 据项目台账}\n"),
        "{text}"
    );
}

/// The cells of data/projects.xlsx's sheet, as text (numbers as Excel shows them).
fn xlsx_cells(path: &Path) -> Vec<Vec<String>> {
    use calamine::Reader;
    let mut wb = calamine::open_workbook_auto(path).unwrap();
    let range = wb.worksheet_range("项目台账").unwrap();
    range
        .rows()
        .map(|r| r.iter().map(|c| c.to_string()).collect())
        .collect()
}

/// Writes `cells` as a workbook whose sheet 项目台账 holds them, as a
/// spreadsheet program saves a ledger staff edited.
fn write_xlsx(path: &Path, cells: &[Vec<String>]) {
    let mut wb = rust_xlsxwriter::Workbook::new();
    let ws = wb.add_worksheet();
    ws.set_name("项目台账").unwrap();
    for (r, row) in cells.iter().enumerate() {
        for (c, t) in row.iter().enumerate() {
            let (r, c) = (r as u32, c as u16);
            // 期次 and the amounts are numbers, as the build writes them.
            match t.parse::<f64>() {
                _ if t.is_empty() => {}
                Ok(n) if r > 0 && (3..=6).contains(&c) => {
                    ws.write_number(r, c, n).unwrap();
                }
                _ => {
                    ws.write_string(r, c, t).unwrap();
                }
            }
        }
    }
    wb.save(path).unwrap();
}

/// Issue 26, item 7: data/projects.xlsx holds every column a ledger brought in (milestone
/// dates, 建设内容, each `extra:` key), imports back with no change, and an edit of an extra
/// cell and of 建设内容 arrives as exactly that change.
#[test]
fn the_built_xlsx_keeps_every_column_and_brings_back_exactly_the_edits() {
    let (_t, root) = site(false);
    assert_eq!(import(&root, "synonyms.xlsx", "7", &[]).0, 0);
    let (code, _, err) = import_csv(
        &root,
        "项目名称,开工时间,计划开工时间,备注\n北斗产业园（一期）,2023-03-15,2023年3月,重点项目\n",
        "7",
    );
    assert_eq!(code, 0, "{err}");
    let out = root.parent().unwrap().join("out");
    let build = || {
        let _ = std::fs::remove_dir_all(&out);
        let o = sanpi::build(&sanpi::BuildOptions {
            output: Some(out.clone()),
            ..sanpi::BuildOptions::new(&root)
        });
        assert!(o.ok());
        out.join("data/projects.xlsx")
    };
    let xlsx = build();
    let cells = xlsx_cells(&xlsx);
    let head = &cells[0];
    for h in [
        "开工时间",
        "建设内容",
        "联系人",
        "计划开工时间",
        "备注",
        "body_hash",
    ] {
        assert!(head.contains(&h.to_string()), "{h} in {head:?}");
    }
    let col = |h: &str| head.iter().position(|x| x == h).unwrap();
    let row = |name: &str| cells.iter().position(|r| r[1] == name).unwrap();
    let beta = row("北斗产业园（一期）");
    assert_eq!(cells[beta][col("开工时间")], "2023-03-15");
    assert_eq!(cells[beta][col("计划开工时间")], "2023年3月");
    assert_eq!(cells[beta][col("建设内容")], "建设北斗产业园。");
    // Imported back as it is: nothing changes.
    let before = tree(&root);
    let (code, text, err) = import_file(&root, &xlsx, "7");
    assert_eq!(code, 0, "{err}");
    assert!(
        summary(&text).starts_with("imported 5 rows: 0 new, 0 moved, 0 changed, 5 unchanged"),
        "{text}"
    );
    assert_eq!(tree(&root), before);
    // Staff edit one extra cell and one 建设内容: exactly those arrive.
    let mut edited = cells.clone();
    let t = row("天健湖生命健康科技园（西区）");
    assert_eq!(edited[t][col("联系人")], "李工");
    edited[t][col("联系人")] = "王工".into();
    edited[t][col("建设内容")] = "新的建设内容。\n\n第二段。".into();
    let f = root.parent().unwrap().join("edited.xlsx");
    write_xlsx(&f, &edited);
    let was = project(&root, "tianjianhu.md");
    let (code, text, err) = import_file(&root, &f, "7");
    assert_eq!(code, 0, "{err}");
    assert!(
        summary(&text).starts_with("imported 5 rows: 0 new, 0 moved, 1 changed, 4 unchanged"),
        "{text}"
    );
    assert!(
        text.contains("changed: 天健湖生命健康科技园（西区） (content/projects/tianjianhu.md): extra.联系人 李工 → 王工, description changed\n"),
        "{text}"
    );
    let want = was.replace("联系人: 李工", "联系人: 王工");
    let want = format!(
        "{}---\n新的建设内容。\n\n第二段。\n",
        want.split("---\n")
            .take(2)
            .collect::<Vec<_>>()
            .join("---\n")
    );
    assert_eq!(project(&root, "tianjianhu.md"), want);
    let after: Vec<_> = tree(&root)
        .into_iter()
        .filter(|(p, _)| !p.ends_with("tianjianhu.md"))
        .collect();
    let before: Vec<_> = before
        .into_iter()
        .filter(|(p, _)| !p.ends_with("tianjianhu.md"))
        .collect();
    assert_eq!(after, before);
    // The new export imports back with no change again.
    let xlsx = build();
    let (code, text, _) = import_file(&root, &xlsx, "7");
    assert_eq!(code, 0);
    assert!(summary(&text).contains(" 0 changed, "), "{text}");
}

/// Issue 26, item 8: 1200.5万元 is 0.12005 亿元, exact to 100 元, and imports; 1200.505万元
/// (a 元 more exact than 100) is an error at its cell, never rounded.
#[test]
fn amounts_in_wan_yuan_with_decimals_import_exactly() {
    let (_t, root) = site(true);
    let (code, _, err) = import_csv(
        &root,
        "项目名称,批次,总投资（万元）\n甲项目,签约,1200.5\n乙项目,签约,1200.505\n",
        "3",
    );
    assert_eq!(code, 1);
    assert!(
        err.contains("error: l.csv:3:3: \"1200.505\" cannot be written exactly in 亿元: an amount is exact to 100 元, which is at most 6 decimals of 亿元"),
        "{err}"
    );
    let (code, _, err) = import_csv(&root, "项目名称,批次,总投资\n甲项目,签约,1200.5万元\n", "3");
    assert_eq!(code, 0, "{err}");
    let text = project(&root, "jia-xiang-mu.md");
    assert!(text.contains("investment: 0.12005\n"), "{text}");
}

/// data/projects.xlsx gives each `extra:` key a column, up to the 16,384 a sheet holds: more
/// keys than that leave the others out with a warning, and the build still succeeds.
#[test]
fn more_extra_keys_than_a_sheet_has_columns_are_left_out_with_a_warning() {
    let (_t, root) = site(false);
    let keys: String = (0..16_400).map(|i| format!("  k{i}: v\n")).collect();
    std::fs::write(
        root.join("content/projects/wide.md"),
        format!("---\nname: 宽项目\nbatch: signed\nperiod: 1\nextra:\n{keys}---\n"),
    )
    .unwrap();
    let o = common::build(&root);
    assert!(o.ok(), "{:?}", common::errors(&o));
    assert!(
        o.diagnostics.iter().any(|d| d
            .message
            .contains("keys under `extra:`; a sheet of Excel holds 16384 columns")),
        "{:?}",
        o.diagnostics
    );
}

/// A move undone in a project whose history is a flow list: the list is written again
/// without its last item, and a period the row gives (not the project's current one) wins.
#[test]
fn a_move_undone_in_a_flow_history_and_a_period_the_row_gives() {
    let (_t, root) = site(false);
    std::fs::write(
        root.join("content/projects/flow.md"),
        "---\nname: 流式项目\nbatch: producing\nperiod: 5\nhistory: [{period: 2, batch: signed}, {period: 3, batch: started}]\n---\n",
    )
    .unwrap();
    let (code, out, err) = import_csv(&root, "项目名称,批次,期次\n流式项目,开工,4\n", "6");
    assert_eq!(code, 0, "{err}");
    assert!(
        out.contains(
            "reverted: 流式项目 (content/projects/flow.md): producing → started, period 5 → 4\n"
        ),
        "{out}"
    );
    assert_eq!(
        project(&root, "flow.md"),
        "---\nname: 流式项目\nbatch: started\nperiod: 4\nhistory:\n  - {period: 2, batch: signed}\n---\n"
    );
}

#[test]
fn the_period_of_the_latest_ledger_that_listed_a_project_is_recorded_and_shown() {
    let (_t, root) = site(false);
    let imports = root.join("content/imports.yaml");
    // The ledger of period 5 lists beta-park and a new project; that of period 6 only the
    // new one: beta-park keeps 5.
    let (code, _, err) = import_csv(
        &root,
        "项目编号,项目名称,批次\nbeta-park,北斗产业园,签约\nnew-one,新项目甲,签约\n",
        "5",
    );
    assert_eq!(code, 0, "{err}");
    let (code, _, err) = import_csv(&root, "项目名称,批次\n新项目甲,签约\n", "6");
    assert_eq!(code, 0, "{err}");
    let text = read(&imports);
    assert!(
        text.contains("ledger_period:\n  beta-park: 5\n  new-one: 6\n"),
        "{text}"
    );
    // A dry run writes nothing.
    std::fs::write(root.join("l.csv"), "项目名称,批次\n新项目甲,签约\n").unwrap();
    let (code, _, err) = sanpi(
        &root,
        &["import", "l.csv", ".", "--period", "7", "--dry-run"],
    );
    std::fs::remove_file(root.join("l.csv")).unwrap();
    assert_eq!(code, 0, "{err}");
    assert_eq!(read(&imports), text);

    let out = root.parent().unwrap().join("out");
    let o = sanpi::build(&sanpi::BuildOptions {
        output: Some(out.clone()),
        ..sanpi::BuildOptions::new(&root)
    });
    assert!(o.ok());
    let page = read(&out.join("projects/beta-park/index.html"));
    assert!(
        page.contains(
            "<dt>项目台账</dt><dd><a href=\"../../periods/5/\">第五期</a>台账列有本项目</dd>"
        ),
        "{page}"
    );
    let never = read(&out.join("projects/legacy/index.html"));
    assert!(!never.contains("<dt>项目台账</dt>"), "{never}");
    // The site's own data/projects.xlsx is no ledger of a period: importing it records nothing.
    let f = out.join("data/projects.xlsx");
    let (code, _, err) = sanpi(
        &root,
        &["import", f.to_str().unwrap(), ".", "--period", "7"],
    );
    assert_eq!(code, 0, "{err}");
    assert_eq!(read(&imports), text);

    // A period that does not exist is an error at its key.
    std::fs::write(&imports, "ledger_period:\n  beta-park: 9\n").unwrap();
    let (code, _, err) = sanpi(&root, &["check"]);
    assert_eq!(code, 1);
    assert!(
        err.contains("error: content/imports.yaml:2:14: period 9 does not exist"),
        "{err}"
    );
}

/// Two cities, each with a 临河县: a name two regions share.
const REGIONS: &str = "- name: 东川市\n  slug: dongchuan\n  regions:\n    - { name: 临河县, slug: linhe }\n    - { name: 高新区, slug: gaoxin }\n- name: 西岭市\n  slug: xiling\n  regions:\n    - { name: 临河县, slug: linhe }\n    - { name: 石门县, slug: shimen }\n";

/// The dongchuan/linhe project named 产业园项目, written by hand (a comment on its region).
const DC_PARK: &str = "---\nname: 产业园项目\nbatch: signed\nperiod: 3\nregion: dongchuan/linhe  # 县\ninvestment: 2\n---\n临河县的产业园。\n";

/// The fixture site with content/regions.yaml and two projects of one name in two regions
/// (content/projects/dc-park.md in dongchuan/linhe, xl-park.yaml in xiling/shimen), beside
/// the fixture's four projects, which have no region.
fn region_site() -> (tempfile::TempDir, PathBuf) {
    let (t, root) = site(false);
    std::fs::write(root.join("content/regions.yaml"), REGIONS).unwrap();
    std::fs::write(root.join("content/projects/dc-park.md"), DC_PARK).unwrap();
    std::fs::write(
        root.join("content/projects/xl-park.yaml"),
        "name: 产业园项目\nbatch: started\nperiod: 3\nregion: xiling/shimen\ninvestment: 3\n",
    )
    .unwrap();
    (t, root)
}

/// Imports `text` as l.csv with `more` arguments.
fn import_csv_with(root: &Path, text: &str, more: &[&str]) -> (i32, String, String) {
    std::fs::write(root.join("l.csv"), text).unwrap();
    let mut args = vec!["import", "l.csv", ".", "--period", "3"];
    args.extend(more);
    let r = sanpi(root, &args);
    std::fs::remove_file(root.join("l.csv")).unwrap();
    r
}

#[test]
fn a_region_cell_is_a_path_names_from_the_top_or_one_name() {
    let (_t, root) = region_site();
    let (code, out, err) = import_csv(
        &root,
        "项目名称,批次,建设单位,县（市、区）\n甲项目,签约,甲公司,dongchuan/gaoxin\n乙项目,签约,,西岭市／石门县\n丙项目,开工,, 石门县 \n丁项目,开工,,\n",
        "3",
    );
    assert_eq!(code, 0, "{err}");
    assert!(err.is_empty(), "{err}");
    assert!(
        summary(&out).starts_with("imported 4 rows: 4 new, 0 moved, 0 changed"),
        "{out}"
    );
    assert_eq!(
        project(&root, "jia-xiang-mu.md"),
        "---\nname: \"甲项目\"\nbatch: signed  # signed | started | producing\nperiod: 3  # the period it entered this batch\nowner: 甲公司\nregion: dongchuan/gaoxin\n---\n"
    );
    assert!(project(&root, "yi-xiang-mu.md").contains("\nregion: xiling/shimen\n"));
    assert!(project(&root, "bing-xiang-mu.md").contains("\nregion: xiling/shimen\n"));
    assert!(!project(&root, "ding-xiang-mu.md").contains("region"));
    // The site builds with them.
    assert!(sanpi(&root, &["check", "."]).0 == 0);
}

#[test]
fn an_unknown_or_shared_region_is_an_error_at_its_cell() {
    let (_t, root) = region_site();
    let before = tree(&root);
    let (code, _, err) = import_csv(
        &root,
        "项目名称,批次,地区\n甲项目,签约,临河\n乙项目,签约,临河县\n丙项目,签约,东川市/石门县\n",
        "3",
    );
    assert_eq!(code, 1);
    assert!(
        err.contains("error: l.csv:2:3: there is no region 临河 in content/regions.yaml; did you mean 东川市/临河县 (dongchuan/linhe) or 西岭市/临河县 (xiling/linhe)?"),
        "{err}"
    );
    assert!(
        err.contains("error: l.csv:3:3: 临河县 names 2 regions of content/regions.yaml (dongchuan/linhe, xiling/linhe); write its names from the top, such as 东川市/临河县, or its path"),
        "{err}"
    );
    assert!(
        err.contains("error: l.csv:4:3: there is no region 东川市/石门县 in content/regions.yaml"),
        "{err}"
    );
    assert_eq!(tree(&root), before);
    // A site without content/regions.yaml: the column is an error at its header.
    let (_t, root) = site(false);
    let before = tree(&root);
    let (code, _, err) = import_csv(&root, "项目名称,批次,所属县区\n甲项目,签约,临河县\n", "3");
    assert_eq!(code, 1);
    assert!(
        err.contains("error: l.csv:1:3: the column '所属县区' names regions, but the site has no content/regions.yaml"),
        "{err}"
    );
    assert_eq!(tree(&root), before);
}

#[test]
fn the_region_option_gives_rows_without_one_their_region() {
    let (_t, root) = region_site();
    let before = tree(&root);
    for (args, why) in [
        (&["--region", "xiling/shimenn"][..], "an unknown region"),
        (&["--region", "临河县"][..], "a name two regions share"),
    ] {
        let (code, _, err) = import_csv_with(&root, "项目名称,批次\n甲项目,签约\n", args);
        assert_eq!(code, 2, "{why}: {err}");
        assert!(err.starts_with("error: --region: "), "{err}");
        assert_eq!(tree(&root), before);
    }
    let (_, _, err) = import_csv_with(&root, "项目名称,批次\n甲项目,签约\n", &["--region", "nope"]);
    assert_eq!(
        err.trim(),
        "error: --region: there is no region nope in content/regions.yaml"
    );
    let (code, _, err) = import_csv_with(
        &root,
        "项目名称,批次,地区\n甲项目,签约,\n乙项目,签约,临河县\n",
        &["--region", "xiling/shimen", "--dry-run"],
    );
    assert_eq!(code, 1, "a cell of its own still says which 临河县");
    assert!(
        err.contains("error: l.csv:3:3: 临河县 names 2 regions"),
        "{err}"
    );
    let (code, _, err) = import_csv_with(
        &root,
        "项目名称,批次,地区\n甲项目,签约,\n乙项目,签约,东川市/临河县\n",
        &["--region", "西岭市/石门县"],
    );
    assert_eq!(code, 0, "{err}");
    assert!(project(&root, "jia-xiang-mu.md").contains("\nregion: xiling/shimen\n"));
    assert!(project(&root, "yi-xiang-mu.md").contains("\nregion: dongchuan/linhe\n"));
    // A ledger without a region column.
    let (code, _, err) = import_csv_with(
        &root,
        "项目名称,批次\n丙项目,签约\n",
        &["--region", "xiling"],
    );
    assert_eq!(code, 0, "{err}");
    assert!(project(&root, "bing-xiang-mu.md").contains("\nregion: xiling\n"));
    // A site without regions has none to give.
    let (_t, root) = site(false);
    let (code, _, err) = import_csv_with(
        &root,
        "项目名称,批次\n甲项目,签约\n",
        &["--region", "xiling"],
    );
    assert_eq!(code, 2);
    assert!(
        err.contains("error: --region xiling: the site has no content/regions.yaml"),
        "{err}"
    );
}

#[test]
fn a_row_matches_by_name_within_its_region() {
    let (_t, root) = region_site();
    let before = tree(&root);
    // Without a region, the name is two projects'.
    let (code, _, err) = import_csv(&root, "项目名称,总投资\n产业园项目,5\n", "3");
    assert_eq!(code, 1);
    assert!(
        err.contains("error: l.csv:2:1: \"产业园项目\" names 2 projects (content/projects/dc-park.md, content/projects/xl-park.yaml): add a 项目编号 column with their ids, or a region column (地区)"),
        "{err}"
    );
    assert_eq!(tree(&root), before);
    // With one, each row is its region's project: the same name twice in one ledger too.
    let (code, out, err) = import_csv(
        &root,
        "项目名称,总投资,县区\n产业园项目,5,石门县\n产业园项目,2.5,东川市/临河县\n",
        "3",
    );
    assert_eq!(code, 0, "{err}");
    assert!(
        out.contains("changed: 产业园项目 (content/projects/xl-park.yaml): investment 3 → 5\n"),
        "{out}"
    );
    assert!(
        out.contains("changed: 产业园项目 (content/projects/dc-park.md): investment 2 → 2.5\n"),
        "{out}"
    );
    assert_eq!(
        project(&root, "xl-park.yaml"),
        "name: 产业园项目\nbatch: started\nperiod: 3\nregion: xiling/shimen\ninvestment: 5\n"
    );
    // A row of the city matches its county's project, whose region stays.
    let (code, out, err) = import_csv(&root, "项目名称,总投资,地市\n产业园项目,2.5,东川市\n", "3");
    assert_eq!(code, 0, "{err}");
    assert!(
        out.contains("imported 1 row: 0 new, 0 moved, 0 changed, 1 unchanged"),
        "{out}"
    );
    // Another region's project of that name is not the row's: a new project, said.
    let (code, out, err) = import_csv(
        &root,
        "项目名称,批次,地区\n产业园项目,签约,西岭市/临河县\n",
        "3",
    );
    assert_eq!(code, 0, "{err}");
    assert!(
        err.contains("warning: l.csv:2:1: \"产业园项目\" is a new project in xiling/linhe: the project so named in dongchuan/linhe (content/projects/dc-park.md) is another region's"),
        "{err}"
    );
    assert!(
        out.contains("new: 产业园项目 (content/projects/chan-ye-yuan-xiang-mu.md)"),
        "{out}"
    );
}

#[test]
fn a_changed_region_is_edited_in_place_and_an_empty_cell_keeps_it() {
    let (_t, root) = region_site();
    let (code, out, err) = import_csv(
        &root,
        "项目编号,项目名称,地区\ndc-park,产业园项目,高新区\n",
        "3",
    );
    assert_eq!(code, 0, "{err}");
    assert!(
        out.contains("changed: 产业园项目 (content/projects/dc-park.md): region dongchuan/linhe → dongchuan/gaoxin\n"),
        "{out}"
    );
    assert_eq!(
        project(&root, "dc-park.md"),
        DC_PARK.replace("dongchuan/linhe  # 县", "dongchuan/gaoxin  # 县")
    );
    let before = tree(&root);
    for cell in ["", "—", "东川市"] {
        let (code, out, err) = import_csv(
            &root,
            &format!("项目编号,项目名称,地区\ndc-park,产业园项目,{cell}\n"),
            "3",
        );
        assert_eq!(code, 0, "{err}");
        assert!(out.contains("0 changed, 1 unchanged"), "{cell}: {out}");
    }
    std::fs::remove_file(root.join("content/imports.yaml")).unwrap();
    let mut before = before;
    before.retain(|(p, _)| p != "content/imports.yaml");
    assert_eq!(tree(&root), before);
    // A project without a region gets the row's, where `sanpi new` would put it.
    let (code, out, err) = import_csv(&root, "项目名称,地区\n遗留项目,石门县\n", "3");
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("region none → xiling/shimen"), "{out}");
    assert_eq!(
        project(&root, "legacy.md"),
        "---\nname: 遗留项目\nbatch: producing\nperiod: 1\nregion: xiling/shimen\n---\n不在台账中的项目。\n"
    );
}

/// data/projects.xlsx has 地区 (names from the top), data/projects.csv `region` and
/// `region_name`: both import back with no change, and a 地区 staff edit moves the project.
#[test]
fn the_built_xlsx_and_csv_of_a_site_with_regions_import_back_with_no_change() {
    let (_t, root) = region_site();
    let out = root.parent().unwrap().join("out");
    let o = sanpi::build(&sanpi::BuildOptions {
        output: Some(out.clone()),
        ..sanpi::BuildOptions::new(&root)
    });
    assert!(o.ok(), "{:?}", o.diagnostics);
    let cells = xlsx_cells(&out.join("data/projects.xlsx"));
    let col = cells[0].iter().position(|h| h == "地区").unwrap();
    assert_eq!(col, 11, "{:?}", cells[0]);
    let row = |id: &str| cells.iter().position(|r| r[0] == id).unwrap();
    assert_eq!(cells[row("xl-park")][col], "西岭市/石门县");
    assert_eq!(cells[row("dc-park")][col], "东川市/临河县");
    assert_eq!(cells[row("legacy")][col], "");
    let before = tree(&root);
    for file in ["data/projects.xlsx", "data/projects.csv"] {
        let f = out.join(file);
        let (code, text, err) = sanpi(
            &root,
            &["import", f.to_str().unwrap(), ".", "--period", "7"],
        );
        assert_eq!(code, 0, "{err}");
        assert!(err.is_empty(), "{file}: {err}");
        assert_eq!(
            summary(&text),
            "imported 6 rows: 0 new, 0 moved, 0 changed, 6 unchanged, 0 not in the ledger, 0 reverted",
            "{file}"
        );
        assert_eq!(tree(&root), before, "{file}");
    }
    // Staff move a project to another county in the downloaded sheet.
    let mut edited = cells.clone();
    edited[row("dc-park")][col] = "东川市/高新区".into();
    let f = root.parent().unwrap().join("edited.xlsx");
    write_xlsx(&f, &edited);
    let (code, text, err) = import_file(&root, &f, "7");
    assert_eq!(code, 0, "{err}");
    assert!(
        text.contains("changed: 产业园项目 (content/projects/dc-park.md): region dongchuan/linhe → dongchuan/gaoxin\n"),
        "{text}"
    );
    assert!(summary(&text).contains("1 changed, 5 unchanged"), "{text}");
}

/// A province's ledger names the city and the county in two columns: one region.
#[test]
fn a_city_column_and_a_county_column_name_one_region() {
    let (_t, root) = region_site();
    let (code, out, err) = import_csv(
        &root,
        "项目名称,批次,省辖市,县（市、区）\n甲项目,签约,西岭市,临河县\n乙项目,签约,东川市,\n产业园项目,签约,西岭市,石门县\n",
        "3",
    );
    assert_eq!(code, 0, "{err}");
    assert!(err.is_empty(), "{err}");
    assert!(project(&root, "jia-xiang-mu.md").contains("\nregion: xiling/linhe\n"));
    assert!(project(&root, "yi-xiang-mu.md").contains("\nregion: dongchuan\n"));
    assert!(
        summary(&out).starts_with("imported 3 rows: 2 new, 1 moved"),
        "{out}"
    );
    let before = tree(&root);
    let (code, _, err) = import_csv(
        &root,
        "项目名称,批次,地市,县区\n丙项目,签约,东川市,石门县\n",
        "3",
    );
    assert_eq!(code, 1);
    assert!(
        err.contains("error: l.csv:2:4: 石门县 (xiling/shimen) is not in 东川市, which the row's other region cell names"),
        "{err}"
    );
    assert_eq!(tree(&root), before);
}

/// Projects have tags: a ledger's 标签 (项目类型 …) column gives them, a cell split on 、 , ，
/// ; ； / ／ | and line breaks, trimmed and each once; a new project gets `tags: [a, b]`
/// where `sanpi new` puts keys after region, `无` says it has none, an empty cell gives none.
#[test]
fn a_tags_column_splits_its_cells_and_gives_new_projects_tags() {
    let (_t, root) = site(true);
    let (code, out, err) = import_csv(
        &root,
        "项目名称,批次,所属行业,项目类型\n\
         甲项目,签约,新材料,\"制造业、省重点 , 专精特新；外资;数字经济/绿色／民营|技改\n 制造业 \"\n\
         乙项目,签约,,无\n\
         丙项目,签约,,\n\
         丁项目,签约,,—\n\
         戊项目,签约,,\"a,b, 123 ,x: y\"\n",
        "3",
    );
    assert_eq!(code, 0, "{err}");
    assert!(err.is_empty(), "{err}");
    assert!(summary(&out).starts_with("imported 5 rows: 5 new"), "{out}");
    assert_eq!(
        project(&root, "jia-xiang-mu.md"),
        "---\nname: \"甲项目\"\nbatch: signed  # signed | started | producing\nperiod: 3  # the period it entered this batch\nsector: 新材料\ntags: [制造业, 省重点, 专精特新, 外资, 数字经济, 绿色, 民营, 技改]\n---\n"
    );
    assert!(project(&root, "yi-xiang-mu.md")
        .contains("\nperiod: 3  # the period it entered this batch\ntags: []\n---\n"));
    assert!(!project(&root, "bing-xiang-mu.md").contains("tags"));
    assert!(!project(&root, "ding-xiang-mu.md").contains("tags"));
    // Quoted where YAML would read them otherwise.
    assert!(
        project(&root, "wu-xiang-mu.md").contains("\ntags: [a, b, \"123\", \"x: y\"]\n"),
        "{}",
        project(&root, "wu-xiang-mu.md")
    );
    assert!(common::build(&root).ok());
}

/// A project whose tags differ from its row's (in order) has its `tags:` edited in place: a
/// flow list on its line, a block list item by item, the comments kept; an empty cell or `—`
/// keeps the tags, `无` says it has none; the change reads `tags a、b → a、c`.
#[test]
fn changed_tags_are_edited_in_place_and_an_empty_cell_keeps_them() {
    let (_t, root) = site(false);
    let legacy = "---\nname: 遗留项目\nbatch: producing\nperiod: 1\ntags: [制造业, 省重点]   # 标签\nprogress: in_production\n---\n不在台账中的项目。\n";
    std::fs::write(root.join("content/projects/legacy.md"), legacy).unwrap();
    let beta = "id: beta-park\nname: 北斗产业园\nbatch: signed\nperiod: 4\ntags:\n  - 制造业  # 主导产业\n  # 省里定的\n  - \"省重点\"\ninvestment: 12.5\nbody: \"\"\n";
    std::fs::write(root.join("content/projects/beta.yaml"), beta).unwrap();
    let (code, out, err) = import_csv(
        &root,
        "项目名称,标签\n遗留项目,制造业、外资\n北斗产业园,省重点、制造业、专精特新\n天健湖生命健康科技园（西区）,无\n智能 传感器谷(一期),\n",
        "4",
    );
    assert_eq!(code, 0, "{err}");
    assert!(err.is_empty(), "{err}");
    assert!(
        out.contains(
            "changed: 遗留项目 (content/projects/legacy.md): tags 制造业、省重点 → 制造业、外资\n"
        ),
        "{out}"
    );
    assert!(
        out.contains("changed: 北斗产业园 (content/projects/beta.yaml): tags 制造业、省重点 → 省重点、制造业、专精特新\n"),
        "{out}"
    );
    assert!(
        out.contains("changed: 天健湖生命健康科技园（西区） (content/projects/tianjianhu.md): tags none → []\n"),
        "{out}"
    );
    assert_eq!(
        summary(&out),
        "imported 4 rows: 0 new, 0 moved, 3 changed, 1 unchanged, 0 not in the ledger, 0 reverted"
    );
    assert_eq!(
        project(&root, "legacy.md"),
        legacy.replace("[制造业, 省重点]", "[制造业, 外资]")
    );
    // The block list: the lines of the tags kept move with their comments, the new one in
    // their style.
    assert_eq!(
        project(&root, "beta.yaml"),
        "id: beta-park\nname: 北斗产业园\nbatch: signed\nperiod: 4\ntags:\n  - \"省重点\"\n  # 省里定的\n  - 制造业  # 主导产业\n  - 专精特新\ninvestment: 12.5\nbody: \"\"\n"
    );
    let t = project(&root, "tianjianhu.md");
    assert!(t.contains("\nsector: 生命健康\ntags: []\nextra:\n"), "{t}");
    assert!(!project(&root, "sensor-valley.md").contains("tags"));
    // Empty cells and `—` keep every project's tags; the same ledger again changes nothing.
    let before = projects(&root);
    for cell in ["", "—", "-", "/"] {
        let (code, out, err) = import_csv(
            &root,
            &format!("项目名称,标签\n遗留项目,{cell}\n北斗产业园,{cell}\n天健湖生命健康科技园（西区）,{cell}\n"),
            "4",
        );
        assert_eq!(code, 0, "{err}");
        assert!(out.contains(" 0 changed, 3 unchanged"), "{cell:?}: {out}");
    }
    let (code, out, _) = import_csv(
        &root,
        "项目名称,标签\n遗留项目,制造业、外资\n北斗产业园,省重点/制造业/专精特新\n天健湖生命健康科技园（西区）, 无 \n",
        "4",
    );
    assert_eq!(code, 0);
    assert!(out.contains(" 0 changed, 3 unchanged"), "{out}");
    assert_eq!(projects(&root), before);
    // 无 takes a block list's items away.
    let (code, out, err) = import_csv(&root, "项目名称,标签\n北斗产业园,无\n", "4");
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("tags 省重点、制造业、专精特新 → []"), "{out}");
    assert!(
        project(&root, "beta.yaml")
            .contains("period: 4\ntags: []\n  # 省里定的\ninvestment: 12.5\n"),
        "{}",
        project(&root, "beta.yaml")
    );
    assert!(common::build(&root).ok());
}

/// A tags list written so that it cannot be edited line by line is written again on one
/// line, with a warning naming the file.
#[test]
fn a_tags_list_over_several_lines_is_written_again_on_one() {
    let (_t, root) = site(false);
    std::fs::write(
        root.join("content/projects/legacy.md"),
        "---\nname: 遗留项目\nbatch: producing\nperiod: 1\ntags: [制造业,\n  省重点]\n---\n正文\n",
    )
    .unwrap();
    let (code, out, err) = import_csv(&root, "项目名称,标签\n遗留项目,制造业\n", "4");
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("tags 制造业、省重点 → 制造业"), "{out}");
    assert!(
        err.contains("warning: content/projects/legacy.md: `tags:` is written in a way the import cannot edit line by line, so it was written again on one line: tags: [制造业]"),
        "{err}"
    );
    assert_eq!(
        project(&root, "legacy.md"),
        "---\nname: 遗留项目\nbatch: producing\nperiod: 1\ntags: [制造业]\n---\n正文\n"
    );
}

/// A tag longer than 50 characters is an error at its cell, and nothing is written.
#[test]
fn a_tag_too_long_is_an_error_at_its_cell() {
    let (_t, root) = site(false);
    let before = tree(&root);
    let long = "长".repeat(51);
    let (code, _, err) = import_csv(
        &root,
        &format!("项目名称,批次,标签\n遗留项目,,制造业\n新项目,签约,省重点、{long}\n北斗产业园,,\"制造业\n{long}\"\n"),
        "4",
    );
    assert_eq!(code, 1);
    assert!(
        err.contains(&format!(
            "error: l.csv:3:3: the tag \"{long}\" is 51 characters long; a tag has at most 50"
        )),
        "{err}"
    );
    assert!(err.contains("error: l.csv:4:3: the tag "), "{err}");
    assert!(err.contains("2 errors found; nothing was written"), "{err}");
    assert_eq!(tree(&root), before);
}

/// data/projects.xlsx has 标签 when a project has tags: each project's tags joined by 、,
/// 无 for `tags: []`, empty where it gives none; it imports back with no change, even a tag
/// holding a separator and a 类型 an older import kept under extra; a cell staff edit arrives
/// as exactly that change. A site without tags has no such column.
#[test]
fn the_built_xlsx_with_tags_imports_back_with_no_change() {
    let (_t, root) = site(false);
    let out = root.parent().unwrap().join("out");
    let build = || {
        let _ = std::fs::remove_dir_all(&out);
        let o = sanpi::build(&sanpi::BuildOptions {
            output: Some(out.clone()),
            ..sanpi::BuildOptions::new(&root)
        });
        assert!(o.ok(), "{:?}", o.diagnostics);
        out.join("data/projects.xlsx")
    };
    let cells = xlsx_cells(&build());
    assert!(!cells[0].contains(&"标签".to_string()), "{:?}", cells[0]);
    std::fs::write(
        root.join("content/projects/legacy.md"),
        "---\nname: 遗留项目\nbatch: producing\nperiod: 1\ntags: [制造业, \"A/B 类\"]\n---\n正文\n",
    )
    .unwrap();
    std::fs::write(
        root.join("content/projects/beta.yaml"),
        "id: beta-park\nname: 北斗产业园\nbatch: signed\nperiod: 4\ntags:\n  - 省重点\ninvestment: 12.5\nextra:\n  类型: 产业类\n",
    )
    .unwrap();
    std::fs::write(
        root.join("content/projects/sensor-valley.md"),
        "---\nname: 智能传感器谷\nbatch: signed\nperiod: 5\ntags: []\n---\n",
    )
    .unwrap();
    let xlsx = build();
    let cells = xlsx_cells(&xlsx);
    let head = &cells[0];
    let col = |h: &str| head.iter().position(|x| x == h).unwrap();
    assert_eq!(col("标签"), 11, "{head:?}");
    assert!(col("类型") > col("标签"), "{head:?}");
    let row = |id: &str| cells.iter().position(|r| r[0] == id).unwrap();
    assert_eq!(cells[row("legacy")][col("标签")], "制造业、A/B 类");
    assert_eq!(cells[row("beta-park")][col("标签")], "省重点");
    assert_eq!(cells[row("beta-park")][col("类型")], "产业类");
    assert_eq!(cells[row("sensor-valley")][col("标签")], "无");
    assert_eq!(cells[row("tianjianhu")][col("标签")], "");
    let before = tree(&root);
    let (code, text, err) = import_file(&root, &xlsx, "7");
    assert_eq!(code, 0, "{err}");
    assert!(err.is_empty(), "{err}");
    assert_eq!(
        summary(&text),
        "imported 4 rows: 0 new, 0 moved, 0 changed, 4 unchanged, 0 not in the ledger, 0 reverted"
    );
    assert_eq!(tree(&root), before);
    // Staff give the project without tags two, and take 无 off another.
    let mut edited = cells.clone();
    edited[row("tianjianhu")][col("标签")] = "制造业、省重点".into();
    edited[row("sensor-valley")][col("标签")] = "".into();
    let f = root.parent().unwrap().join("edited.xlsx");
    write_xlsx(&f, &edited);
    let (code, text, err) = import_file(&root, &f, "7");
    assert_eq!(code, 0, "{err}");
    assert!(
        text.contains("changed: 天健湖生命健康科技园（西区） (content/projects/tianjianhu.md): tags none → 制造业、省重点\n"),
        "{text}"
    );
    assert!(
        summary(&text).starts_with("imported 4 rows: 0 new, 0 moved, 1 changed, 3 unchanged"),
        "{text}"
    );
    assert!(project(&root, "tianjianhu.md")
        .contains("\nsector: 生命健康\ntags: [制造业, 省重点]\nextra:\n"));
    assert!(project(&root, "sensor-valley.md").contains("\ntags: []\n"));
    // The new export imports back with no change again.
    let (code, text, _) = import_file(&root, &build(), "7");
    assert_eq!(code, 0);
    assert!(summary(&text).contains(" 0 changed, 4 unchanged"), "{text}");
}
