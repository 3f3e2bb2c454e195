//! `sanpi serve` over real HTTP on loopback: files and types, the 404 page, path traversal
//! in every encoding, the live-reload round trip, the error overlay, and load.

mod common;

use common::*;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// A running `sanpi serve`, stopped when dropped.
struct Server {
    child: Child,
    port: u16,
}

impl Drop for Server {
    /// Stops serve as Ctrl+C would, so that it removes its folder; kills it if that fails.
    fn drop(&mut self) {
        let stopped = Command::new("kill")
            .args(["-TERM", &self.child.id().to_string()])
            .status()
            .is_ok_and(|s| s.success());
        let deadline = Instant::now() + Duration::from_secs(60);
        while stopped && Instant::now() < deadline {
            if let Ok(Some(_)) = self.child.try_wait() {
                return;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn serve(root: &Path) -> Server {
    serve_in(root, None)
}

/// `serve`, with its temporary folder in `temp` when given.
fn serve_in(root: &Path, temp: Option<&Path>) -> Server {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_sanpi"));
    if let Some(t) = temp {
        cmd.env("TMPDIR", t);
    }
    let mut child = cmd
        .args(["serve", "--port", "0"])
        .arg(root)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let port = port_of(&mut child);
    Server { child, port }
}

/// The port a started serve says it serves on, from its first line on stdout.
fn port_of(child: &mut Child) -> u16 {
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    line.trim()
        .strip_prefix("serving http://127.0.0.1:")
        .and_then(|r| r.split('/').next())
        .and_then(|p| p.parse().ok())
        .unwrap_or_else(|| panic!("unexpected first line: {line:?}"))
}

/// One raw HTTP/1.1 request (the path is sent as given, unnormalised).
fn get(port: u16, path: &str) -> (u16, String, Vec<u8>) {
    get_from(port, path, "127.0.0.1")
}

/// `get` with another Host header.
fn get_from(port: u16, path: &str, host: &str) -> (u16, String, Vec<u8>) {
    let mut s = TcpStream::connect(("127.0.0.1", port)).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(30))).unwrap();
    write!(
        s,
        "GET {path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut raw = Vec::new();
    s.read_to_end(&mut raw).unwrap();
    let split = raw
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .expect("a header");
    let head = String::from_utf8_lossy(&raw[..split]).into_owned();
    let status = head.split(' ').nth(1).unwrap().parse().unwrap();
    let mut body = raw[split + 4..].to_vec();
    if head
        .to_ascii_lowercase()
        .contains("transfer-encoding: chunked")
    {
        body = dechunk(&body);
    }
    (status, head, body)
}

fn dechunk(mut b: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    while let Some(eol) = b.windows(2).position(|w| w == b"\r\n") {
        let n =
            usize::from_str_radix(std::str::from_utf8(&b[..eol]).unwrap().trim(), 16).unwrap_or(0);
        if n == 0 {
            break;
        }
        out.extend_from_slice(&b[eol + 2..eol + 2 + n]);
        b = &b[eol + 2 + n + 2..];
    }
    out
}

/// The server's build status: (generation, error lines). With `seen`, waits for the next
/// build, as the page's script does.
fn status(port: u16, seen: Option<u64>) -> (u64, Vec<String>) {
    let path = match seen {
        Some(g) => format!("/__sanpi/status?seen={g}"),
        None => "/__sanpi/status".into(),
    };
    let (code, head, body) = get(port, &path);
    assert_eq!(code, 200);
    assert!(head.contains("application/json"));
    let v: serde_json::Value = serde_json::from_slice(&body).unwrap();
    let errors = v["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e.as_str().unwrap().to_string())
        .collect();
    (v["generation"].as_u64().unwrap(), errors)
}

#[test]
fn serves_pages_with_types_redirects_and_the_404_page() {
    let (_tmp, root) = fixture("basic");
    let srv = serve(&root);
    let (status, head, body) = get(srv.port, "/");
    assert_eq!(status, 200);
    assert!(
        head.to_ascii_lowercase()
            .contains("content-type: text/html; charset=utf-8"),
        "{head}"
    );
    let body = String::from_utf8(body).unwrap();
    assert!(body.contains("测试高新区") && body.contains("/__sanpi/live.js"));
    assert!(
        body.contains(&format!("http://127.0.0.1:{}/", srv.port)),
        "canonical links point at the preview"
    );
    let (status, head, _) = get(srv.port, "/projects/alpha");
    assert_eq!(status, 301);
    assert!(head.contains("Location: /projects/alpha/"), "{head}");
    assert_eq!(get(srv.port, "/projects/alpha/").0, 200);
    let (status, head, _) = get(srv.port, "/charts/investment-by-batch.svg");
    assert_eq!(status, 200);
    assert!(head.contains("image/svg+xml; charset=utf-8"));
    assert!(get(srv.port, "/data/projects.csv")
        .1
        .contains("text/csv; charset=utf-8"));
    let (status, _, body) = get(srv.port, "/no/such/page/");
    assert_eq!(status, 404);
    assert!(String::from_utf8(body).unwrap().contains("页面不存在"));
    assert_eq!(get(srv.port, "/%E4%B8%AD%E6%96%87/").0, 404);
}

#[test]
fn no_path_trick_gets_out_of_the_output() {
    let (tmp, root) = fixture("basic");
    std::fs::write(tmp.path().join("secret.txt"), "TOP SECRET").unwrap();
    let srv = serve(&root);
    for path in [
        "/../secret.txt",
        "/../../../../etc/passwd",
        "/%2e%2e/secret.txt",
        "/%2E%2E/%2E%2E/etc/passwd",
        "/..%2fsecret.txt",
        "/..%2F..%2F..%2Fetc%2Fpasswd",
        "/.%2e/secret.txt",
        "/%2e./secret.txt",
        "/..\\secret.txt",
        "/%5c..%5csecret.txt",
        "/..%5c..%5cetc%5cpasswd",
        "/%252e%252e/secret.txt",
        "/%c0%ae%c0%ae/secret.txt",
        "/projects/../../secret.txt",
        "//etc/passwd",
        "/./../secret.txt",
        "/%00../secret.txt",
        "/content/site.yaml",
        "/../content/site.yaml",
    ] {
        let (status, _, body) = get(srv.port, path);
        let body = String::from_utf8_lossy(&body);
        assert!(
            !body.contains("TOP SECRET")
                && !body.contains("root:x:0:0")
                && !body.contains("base_url:"),
            "{path} leaked"
        );
        assert!(status == 400 || status == 404, "{path}: {status}");
    }
}

#[test]
fn a_change_reloads_the_page_and_an_error_shows_over_the_last_good_site() {
    let (_tmp, root) = fixture("basic");
    let srv = serve(&root);
    let (g0, errors) = status(srv.port, None);
    assert!(errors.is_empty(), "{errors:?}");
    let (_, _, script) = get(srv.port, "/__sanpi/live.js");
    assert!(String::from_utf8(script)
        .unwrap()
        .contains("location.reload()"));

    let start = Instant::now();
    edit(
        &root,
        "content/projects/alpha.md",
        "阿尔法新材料研发基地主要建设",
        "阿尔法改写后的说明",
    );
    let (g1, errors) = status(srv.port, Some(g0));
    assert!(g1 > g0 && errors.is_empty(), "a new good build: {errors:?}");
    eprintln!("save to reload message: {} ms", start.elapsed().as_millis());
    let (_, _, body) = get(srv.port, "/projects/alpha/");
    assert!(String::from_utf8(body)
        .unwrap()
        .contains("阿尔法改写后的说明"));

    edit(&root, "content/projects/beta.md", "period: 2", "period: 9");
    let (g2, errors) = status(srv.port, Some(g1));
    assert!(g2 > g1);
    assert!(
        errors
            .iter()
            .any(|e| e.starts_with("error: content/projects/beta.md:4:9: ")),
        "{errors:?}"
    );
    let (code, _, body) = get(srv.port, "/projects/beta/");
    assert_eq!(code, 200, "the last good site is still served");
    assert!(String::from_utf8(body)
        .unwrap()
        .contains("贝塔智能传感器产业园"));

    edit(&root, "content/projects/beta.md", "period: 9", "period: 2");
    let (g3, errors) = status(srv.port, Some(g2));
    assert!(g3 > g2 && errors.is_empty());
}

#[test]
fn answers_a_thousand_concurrent_requests() {
    let (_tmp, root) = fixture("basic");
    let srv = serve(&root);
    let port = srv.port;
    let paths = [
        "/",
        "/projects/",
        "/projects/alpha/",
        "/charts/investment-by-batch.svg",
        "/sanpi.css",
        "/missing/",
    ];
    let handles: Vec<_> = (0..1000)
        .map(|i| {
            let path = paths[i % paths.len()];
            std::thread::spawn(move || get(port, path).0)
        })
        .collect();
    let statuses: Vec<u16> = handles.into_iter().map(|h| h.join().unwrap()).collect();
    let ok = statuses.iter().filter(|&&s| s == 200 || s == 404).count();
    assert_eq!(
        ok,
        1000,
        "{:?}",
        statuses
            .iter()
            .filter(|&&s| s != 200 && s != 404)
            .collect::<Vec<_>>()
    );
    assert_eq!(
        statuses.iter().filter(|&&s| s == 404).count(),
        1000 / paths.len() + usize::from(1000 % paths.len() > 5)
    );
}

#[test]
fn binds_loopback_by_default() {
    let (_tmp, root) = fixture("basic");
    let srv = serve(&root);
    // The first line names 127.0.0.1 (checked in serve()); no other address answers.
    assert!(srv.port > 0);
    let out = Command::new(env!("CARGO_BIN_EXE_sanpi"))
        .args(["serve", "--help"])
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&out.stdout).contains("[default: 127.0.0.1]"));
}

#[test]
fn a_text_change_redoes_its_page_and_a_front_matter_change_the_site() {
    let (_tmp, root) = fixture("basic");
    let srv = serve(&root);
    let (g0, _) = status(srv.port, None);
    // The body alone: the project's page changes.
    edit(
        &root,
        "content/projects/gamma.md",
        "主体结构已封顶。",
        "主体结构已封顶，幕墙施工中。",
    );
    let (g1, errors) = status(srv.port, Some(g0));
    assert!(errors.is_empty(), "{errors:?}");
    let page = String::from_utf8(get(srv.port, "/projects/gamma-data-hub/").2).unwrap();
    assert!(page.contains("幕墙施工中") && page.contains("伽马区域总部及大数据中心项目"));
    assert!(
        page.contains("href=\"../../projects/alpha/\""),
        "site links still resolve"
    );
    // A bad body is reported, and the page keeps its last good text.
    edit(
        &root,
        "content/projects/gamma.md",
        "## 建设进展",
        "{{ chrt() }}\n\n## 建设进展",
    );
    let (g2, errors) = status(srv.port, Some(g1));
    assert!(
        errors.iter().any(|e| e.contains("unknown shortcode")),
        "{errors:?}"
    );
    assert!(
        String::from_utf8(get(srv.port, "/projects/gamma-data-hub/").2)
            .unwrap()
            .contains("幕墙施工中")
    );
    edit(&root, "content/projects/gamma.md", "{{ chrt() }}\n\n", "");
    let (g3, errors) = status(srv.port, Some(g2));
    assert!(errors.is_empty());
    // The front matter: lists change too.
    edit(
        &root,
        "content/projects/gamma.md",
        "name: 伽马区域总部及大数据中心项目",
        "name: 伽马总部新名",
    );
    let (_, errors) = status(srv.port, Some(g3));
    assert!(errors.is_empty());
    let list = String::from_utf8(get(srv.port, "/projects/").2).unwrap();
    assert!(list.contains("伽马总部新名") && !list.contains("伽马区域总部及大数据中心项目"));
}

#[test]
fn a_new_project_is_served_as_soon_as_the_reload_is_announced_and_a_removed_one_is_gone() {
    let (_tmp, root) = fixture("basic");
    let srv = serve(&root);
    let (g0, _) = status(srv.port, None);
    let file = root.join("content/projects/zeta.md");
    std::fs::write(
        &file,
        "---\nname: 泽塔新建项目\nbatch: signed\nperiod: 1\ninvestment: 2.5\n---\n泽塔项目的说明。\n",
    )
    .unwrap();
    let (g1, errors) = status(srv.port, Some(g0));
    assert!(errors.is_empty(), "{errors:?}");
    // Asked for right after the reload is announced: from memory or from the folder, the
    // page is there, its folder redirects to it, and the list names it.
    let (code, _, page) = get(srv.port, "/projects/zeta/");
    assert_eq!(code, 200);
    assert!(String::from_utf8(page).unwrap().contains("泽塔项目的说明"));
    assert_eq!(get(srv.port, "/projects/zeta").0, 301);
    let list = String::from_utf8(get(srv.port, "/projects/").2).unwrap();
    assert!(list.contains("泽塔新建项目"));
    std::fs::remove_file(&file).unwrap();
    let (_, errors) = status(srv.port, Some(g1));
    assert!(errors.is_empty(), "{errors:?}");
    assert_eq!(get(srv.port, "/projects/zeta/").0, 404);
    let list = String::from_utf8(get(srv.port, "/projects/").2).unwrap();
    assert!(!list.contains("泽塔新建项目"));
}

#[test]
fn redirects_never_lead_to_another_host() {
    let (_tmp, root) = fixture("basic");
    let srv = serve(&root);
    for (path, to) in [
        ("//projects", "/projects/"),
        ("///projects", "/projects/"),
        ("//projects//alpha", "/projects/alpha/"),
        ("/%2Fprojects", "/%2Fprojects/"),
    ] {
        let (status, head, _) = get(srv.port, path);
        assert_eq!(status, 301, "{path}");
        let location = head
            .lines()
            .find_map(|l| l.strip_prefix("Location: "))
            .unwrap_or_else(|| panic!("{path}: no Location in {head}"));
        assert_eq!(location, to, "{path}");
    }
}

#[test]
fn answers_only_to_loopback_host_names() {
    let (_tmp, root) = fixture("basic");
    let srv = serve(&root);
    let port = srv.port;
    for host in [
        format!("localhost:{port}"),
        format!("127.0.0.1:{port}"),
        format!("[::1]:{port}"),
        "localhost".to_string(),
    ] {
        assert_eq!(get_from(port, "/", &host).0, 200, "{host}");
    }
    // A page of evil.example, its name rebound to 127.0.0.1, reads nothing.
    for host in [
        format!("evil.example:{port}"),
        "evil.example".to_string(),
        format!("localhost.evil.example:{port}"),
        String::new(),
    ] {
        for path in ["/", "/projects/alpha/", "/__sanpi/status", "/projects"] {
            let (status, _, body) = get_from(port, path, &host);
            assert_eq!(status, 403, "{host} {path}");
            assert!(!String::from_utf8_lossy(&body).contains("阿尔法"));
        }
    }
}

/// The `sanpi-serve-*` entries of `temp`.
fn serve_folders(temp: &Path) -> Vec<std::path::PathBuf> {
    let mut v: Vec<_> = std::fs::read_dir(temp)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| {
            p.file_name()
                .unwrap()
                .to_string_lossy()
                .starts_with("sanpi-serve-")
        })
        .collect();
    v.sort();
    v
}

/// Waits for `child` to end, a minute at most; its exit status.
fn wait_for_exit(child: &mut Child) -> std::process::ExitStatus {
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        if let Some(status) = child.try_wait().unwrap() {
            return status;
        }
        assert!(Instant::now() < deadline, "serve did not stop");
        std::thread::sleep(Duration::from_millis(20));
    }
}

#[cfg(target_os = "linux")]
#[test]
fn a_stopped_serve_leaves_no_folder_and_clears_those_of_killed_ones() {
    // A process id that cannot exist: ids are below pid_max.
    let dead: u32 = std::fs::read_to_string("/proc/sys/kernel/pid_max")
        .unwrap()
        .trim()
        .parse()
        .unwrap();
    for signal in ["TERM", "INT"] {
        let (tmp, root) = fixture("basic");
        let temp = tmp.path().join("tmp");
        let folder = |name: &str, marker: Option<u32>| {
            let p = temp.join(name);
            std::fs::create_dir_all(p.join("site")).unwrap();
            std::fs::write(p.join("site/index.html"), "old").unwrap();
            if let Some(pid) = marker {
                std::fs::write(p.join(".sanpi-serve"), format!("{pid}\n")).unwrap();
            }
            p
        };
        let stale = folder("sanpi-serve-stale", Some(dead));
        let running = folder("sanpi-serve-running", Some(std::process::id()));
        let unmarked = folder("sanpi-serve-unmarked", None);
        let elsewhere = folder("elsewhere", Some(dead));
        std::os::unix::fs::symlink(&elsewhere, temp.join("sanpi-serve-link")).unwrap();
        let before = serve_folders(&temp);

        let mut srv = serve_in(&root, Some(&temp));
        // The first line comes after the first build: its folder is there, the stale one gone.
        assert!(!stale.exists(), "a killed serve's folder is removed");
        assert!(running.join("site/index.html").is_file() && unmarked.join("site").is_dir());
        assert!(
            elsewhere.join("site/index.html").is_file(),
            "links are not followed"
        );
        let ours: Vec<_> = serve_folders(&temp)
            .into_iter()
            .filter(|p| !before.contains(p))
            .collect();
        assert_eq!(ours.len(), 1, "{ours:?}");
        assert!(ours[0].join("site/index.html").is_file());

        let kill = Command::new("kill")
            .args([format!("-{signal}"), srv.child.id().to_string()])
            .status()
            .unwrap();
        assert!(kill.success());
        let status = wait_for_exit(&mut srv.child);
        assert!(status.success(), "SIG{signal}: {status:?}");
        assert!(
            !ours[0].exists(),
            "SIG{signal} leaves {}",
            ours[0].display()
        );
        assert!(running.is_dir() && unmarked.is_dir() && elsewhere.is_dir());
    }
}

/// Waits for builds until the errors satisfy `done` (a save can be seen as more than one
/// change, each with a build), a minute at most.
fn settle(port: u16, mut seen: u64, done: impl Fn(&[String]) -> bool) -> (u64, Vec<String>) {
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        let (g, errors) = status(port, Some(seen));
        if g != seen && done(&errors) {
            return (g, errors);
        }
        assert!(
            Instant::now() < deadline,
            "no build gave the expected errors: {errors:?}"
        );
        seen = g;
    }
}

#[test]
fn a_text_change_gets_the_checks_of_a_full_build_and_updates_the_search_index() {
    let (_tmp, root) = fixture("basic");
    let srv = serve(&root);
    let (g0, _) = status(srv.port, None);
    let gamma = "content/projects/gamma.md";
    let link = |col: usize| {
        format!("error: {gamma}:21:{col}: the link @/projects/no-such/ leads to no page")
    };
    let has = |errors: &[String], line: &str| errors.iter().any(|e| e.starts_with(line));
    // A site link to nothing: the error `sanpi check` gives, and the last good page.
    edit(&root, gamma, "(@/projects/alpha/)", "(@/projects/no-such/)");
    let (g1, _) = settle(srv.port, g0, |e| has(e, &link(25)));
    let check = sanpi::check(&sanpi::BuildOptions::new(&root));
    let check: Vec<String> = check.diagnostics.iter().map(|d| d.to_string()).collect();
    assert!(has(&check, &link(25)), "check reports it alike: {check:?}");
    let page = String::from_utf8(get(srv.port, "/projects/gamma-data-hub/").2).unwrap();
    assert!(
        page.contains("href=\"../../projects/alpha/\""),
        "the last good page"
    );
    // A shortcode that names no period.
    let text = read(&root.join(gamma))
        .replace("(@/projects/no-such/)", "(@/projects/alpha/)")
        .replace("## 建设进展", "{{ projects(period=9) }}\n\n## 建设进展");
    std::fs::write(root.join(gamma), text).unwrap();
    let period = format!("error: {gamma}:23:1: projects: period 9 does not exist");
    let (g2, _) = settle(srv.port, g1, |e| has(e, &period));
    edit(&root, gamma, "{{ projects(period=9) }}\n\n", "");
    let (g3, _) = settle(srv.port, g2, |e| e.is_empty());
    // The indexed opening of the text changes: the search index follows.
    edit(
        &root,
        gamma,
        "伽马区域总部项目包括",
        "伽马新写的开头文字包括",
    );
    let (g4, _) = settle(srv.port, g3, |e| e.is_empty());
    let index = String::from_utf8(get(srv.port, "/search/index.json").2).unwrap();
    assert!(index.contains("伽马新写的开头文字包括") && !index.contains("伽马区域总部项目包括"));
    // The quick path, after a good full build, checks links too.
    edit(&root, gamma, "(@/projects/alpha/)", "(@/projects/no-such/)");
    settle(srv.port, g4, |e| has(e, &link(26)));
}

#[test]
fn a_text_change_updates_a_split_search_index() {
    let (_tmp, root) = fixture("basic");
    // Enough text for an index over 256 KB, which is then split in pieces.
    let body = "本项目建设标准化厂房、研发中心及配套设施，建成后形成年产能力。".repeat(12);
    for i in 0..700 {
        std::fs::write(
            root.join(format!("content/projects/bulk-{i:03}.md")),
            format!("---\nname: 批量项目{i:03}\nbatch: started\nperiod: 1\n---\n{body}\n"),
        )
        .unwrap();
    }
    let srv = serve(&root);
    let (g0, _) = status(srv.port, None);
    let manifest = String::from_utf8(get(srv.port, "/search/index.js").2).unwrap();
    assert!(manifest.contains("\"split\""), "{manifest}");
    let (code, _, _) = get(srv.port, "/search/index.json");
    assert_eq!(code, 404, "a split index has no index.json");
    // A word only this project's text holds, found in the chunk of documents that holds it.
    edit(
        &root,
        "content/projects/bulk-123.md",
        "配套设施",
        "配套设施与琥珀蜂巢试验线",
    );
    settle(srv.port, g0, |e| e.is_empty());
    let manifest: serde_json::Value = serde_json::from_str(
        String::from_utf8(get(srv.port, "/search/index.js").2)
            .unwrap()
            .trim()
            .trim_start_matches("window.sanpiSearchIndex = ")
            .trim_end_matches(';'),
    )
    .unwrap();
    let per_chunk = manifest["split"]["per_chunk"].as_u64().unwrap();
    let docs = manifest["split"]["docs"].as_u64().unwrap();
    let mut found = Vec::new();
    for c in 0..docs.div_ceil(per_chunk) {
        let (code, _, body) = get(srv.port, &format!("/search/d/{c}.js"));
        assert_eq!(code, 200, "chunk {c}");
        if String::from_utf8(body).unwrap().contains("琥珀蜂巢试验线") {
            found.push(c);
        }
    }
    assert_eq!(found.len(), 1, "{found:?}");
}

/// The files of the search index under `out`, with their bytes (not the search page, to
/// which serve adds its reload script).
fn search_tree(out: &Path) -> Vec<(String, Vec<u8>)> {
    let mut t = tree(&out.join("search"));
    t.retain(|(name, _)| name != "index.html");
    t
}

#[test]
fn a_text_edit_writes_only_the_changed_pieces_and_leaves_a_clean_builds_index() {
    let tmp = tempfile::tempdir().unwrap();
    let (_site, root) = fixture("basic");
    let body = "本项目建设标准化厂房、研发中心及配套设施，建成后形成年产能力。".repeat(12);
    for i in 0..700 {
        std::fs::write(
            root.join(format!("content/projects/bulk-{i:03}.md")),
            format!("---\nname: 批量项目{i:03}\nbatch: started\nperiod: 1\n---\n{body}\n"),
        )
        .unwrap();
    }
    let srv = serve_in(&root, Some(tmp.path()));
    let (mut seen, _) = status(srv.port, None);
    let folder = serve_folders(tmp.path()).remove(0);
    let out = walkdir::WalkDir::new(&folder)
        .into_iter()
        .map(Result::unwrap)
        .find(|e| e.path().ends_with("search/index.js"))
        .map(|e| e.path().parent().unwrap().parent().unwrap().to_path_buf())
        .unwrap();
    let clean = |root: &Path| {
        let dir = tempfile::tempdir().unwrap();
        let mut o = sanpi::BuildOptions::new(root);
        o.output = Some(dir.path().join("out"));
        o.share_images = Some(false);
        assert!(sanpi::build(&o).ok());
        search_tree(&dir.path().join("out"))
    };
    let inodes = |out: &Path| -> std::collections::BTreeMap<std::path::PathBuf, u64> {
        use std::os::unix::fs::MetadataExt;
        walkdir::WalkDir::new(out.join("search"))
            .into_iter()
            .map(Result::unwrap)
            .filter(|e| e.file_type().is_file())
            .map(|e| (e.path().to_path_buf(), e.metadata().unwrap().ino()))
            .collect()
    };
    // A word added, a long text cut short (the index shrinks: pieces may go), a text back.
    let file = root.join("content/projects/bulk-123.md");
    let head = "---\nname: 批量项目123\nbatch: started\nperiod: 1\n---\n";
    // 2,000 characters no other text holds, each a gram with its pairs: the index grows by
    // more shards, which the next edit takes away again.
    let rare: String = (0x4e00u32..0x4e00 + 2000)
        .filter_map(char::from_u32)
        .collect();
    for to in [
        body.replacen("配套设施", "配套设施与琥珀蜂巢试验线", 1),
        rare,
        "短。".to_string(),
        body.clone(),
    ] {
        let before = inodes(&out);
        std::fs::write(&file, format!("{head}{to}\n")).unwrap();
        seen = settle(srv.port, seen, |e| e.is_empty()).0;
        // Asked for as soon as the reload is announced, the manifest is the new one (from
        // memory until the folder has it).
        let manifest = get(srv.port, "/search/index.js").2;
        let built = clean(&root);
        let built_manifest = built.iter().find(|(n, _)| n == "index.js").unwrap();
        assert!(
            manifest == built_manifest.1,
            "after {to:?}: the manifest served"
        );
        // The folder follows right after.
        let deadline = Instant::now() + Duration::from_secs(30);
        let mut served = search_tree(&out);
        while served != built && Instant::now() < deadline {
            std::thread::sleep(Duration::from_millis(20));
            served = search_tree(&out);
        }
        assert_eq!(tree_names(&served), tree_names(&built), "after {to:?}");
        let differ = differing(&served, &built);
        assert!(differ.is_empty(), "after {to:?} these differ: {differ:?}");
        let after = inodes(&out);
        let rewritten = after
            .iter()
            .filter(|(p, i)| before.get(*p) != Some(i))
            .count();
        assert!(
            rewritten * 4 < after.len(),
            "{rewritten} of {} pieces written again",
            after.len()
        );
    }
}

/// Serve started by a script that ended, or piped into `head -1`: once nobody reads its
/// output, a rebuild's lines must not kill the watching thread, and SIGTERM must still
/// stop it and remove its folder.
#[cfg(target_os = "linux")]
#[test]
fn serve_stops_on_a_signal_after_its_output_pipes_closed() {
    let (tmp, root) = fixture("basic");
    let temp = tmp.path().join("tmp");
    std::fs::create_dir_all(&temp).unwrap();
    let mut child = Command::new(env!("CARGO_BIN_EXE_sanpi"))
        .env("TMPDIR", &temp)
        .args(["serve", "--port", "0"])
        .arg(&root)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stderr.take());
    let port = port_of(&mut child);
    // Both pipes are closed now. A change makes serve write its build's lines.
    let (g0, _) = status(port, None);
    edit(&root, "content/projects/beta.md", "period: 2", "period: 9");
    let (g1, errors) = status(port, Some(g0));
    assert!(
        g1 > g0 && !errors.is_empty(),
        "the broken build is reported"
    );
    edit(&root, "content/projects/beta.md", "period: 9", "period: 2");
    let (g2, errors) = status(port, Some(g1));
    assert!(
        g2 > g1 && errors.is_empty(),
        "serve still rebuilds: {errors:?}"
    );
    let folders = serve_folders(&temp);
    assert_eq!(folders.len(), 1, "{folders:?}");

    let kill = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(kill.success());
    let deadline = Instant::now() + Duration::from_secs(30);
    let status = loop {
        if let Some(s) = child.try_wait().unwrap() {
            break s;
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            let _ = child.wait();
            panic!("serve ignored SIGTERM once its output was closed");
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    assert!(status.success(), "{status:?}");
    assert!(!folders[0].exists(), "its folder is removed");
}

/// `sanpi -v serve .` run in the site's folder, its log in `log`: a relative root and a save
/// through a temporary file (as `sed -i` and many editors save) take the quick path, which
/// renders a few pages, not the whole site.
#[test]
fn a_relative_root_and_a_save_through_a_temporary_file_take_the_quick_path() {
    let (tmp, root) = fixture("basic");
    let log = tmp.path().join("serve.log");
    let mut child = Command::new(env!("CARGO_BIN_EXE_sanpi"))
        .args(["-v", "serve", "--port", "0", "."])
        .current_dir(&root)
        .stdout(Stdio::piped())
        .stderr(std::fs::File::create(&log).unwrap())
        .spawn()
        .unwrap();
    let port = port_of(&mut child);
    let srv = Server { child, port };
    let (g0, _) = status(srv.port, None);
    // As `sed -i` saves: a temporary file beside the project's, renamed over it.
    let file = root.join("content/projects/gamma.md");
    let text = read(&file).replacen(
        "name: 伽马区域总部及大数据中心项目",
        "name: 伽马总部新名",
        1,
    );
    let temp = root.join("content/projects/sedX1b2c3");
    std::fs::write(&temp, text).unwrap();
    std::fs::rename(&temp, &file).unwrap();
    let (_, errors) = status(srv.port, Some(g0));
    assert!(errors.is_empty(), "{errors:?}");
    let list = String::from_utf8(get(srv.port, "/projects/").2).unwrap();
    assert!(list.contains("伽马总部新名"));
    drop(srv);
    let log = read(&log);
    let total: usize = log
        .lines()
        .find_map(|l| l.strip_prefix("built ")?.split(' ').next()?.parse().ok())
        .unwrap_or_else(|| panic!("no first build in {log}"));
    let again: Vec<usize> = log
        .lines()
        .filter_map(|l| {
            let rest = l.trim().strip_prefix("pages rendered: ")?;
            rest.split(',').next()?.parse().ok()
        })
        .collect();
    assert_eq!(again.len(), 1, "{log}");
    assert!(again[0] > 0 && again[0] < total, "{log}");
}
