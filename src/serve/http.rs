//! The preview server's HTTP side: files of the output only, correct types, the site's 404
//! page, and the live-reload script and event stream.

use super::overlay::{self, Held, Overlay};
use super::State;
use percent_encoding::percent_decode_str;
use std::io::Cursor;
use std::path::{Component, Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;
use tiny_http::{Header, Method, Request, Response};

/// Where the live-reload script and events are served; no site path can start so.
pub const PREFIX: &str = "/__sanpi/";

/// The script injected into every HTML page: asks the server, by long polling, for the
/// next build; reloads after a good one and shows the errors of a bad one over the page.
const LIVE_JS: &str = r#"(() => {
  const show = (lines) => {
    let o = document.getElementById("sanpi-errors");
    if (!lines.length) { if (o) o.remove(); return; }
    if (!o) {
      o = document.createElement("div");
      o.id = "sanpi-errors";
      o.setAttribute("role", "alert");
      o.style.cssText = "position:fixed;inset:auto 0 0 0;max-height:60vh;overflow:auto;z-index:2147483647;background:#1f2328;color:#fff;font:14px/1.5 ui-monospace,monospace;padding:1rem 1.2rem;white-space:pre-wrap;border-top:4px solid #d1242f";
      document.body.appendChild(o);
    }
    o.textContent = "sanpi: the last change does not build; this is the last good site.\n\n" + lines.join("\n");
  };
  let seen = null;
  const poll = async () => {
    try {
      const r = await fetch("/__sanpi/status" + (seen === null ? "" : "?seen=" + seen), { cache: "no-store" });
      const s = await r.json();
      if (seen !== null && s.generation !== seen && !s.errors.length) { location.reload(); return; }
      seen = s.generation;
      show(s.errors);
    } catch (e) {
      await new Promise((done) => setTimeout(done, 1000));
    }
    poll();
  };
  poll();
})();
"#;

fn header(name: &str, value: &str) -> Header {
    Header::from_bytes(name.as_bytes(), value.as_bytes()).expect("ASCII header")
}

/// The content type of a file, by its extension; text types are UTF-8.
pub fn content_type(path: &Path) -> &'static str {
    match path
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase)
        .as_deref()
    {
        Some("html" | "htm") => "text/html; charset=utf-8",
        Some("css") => "text/css; charset=utf-8",
        Some("js" | "mjs") => "text/javascript; charset=utf-8",
        Some("json") => "application/json; charset=utf-8",
        Some("xml") => "application/xml; charset=utf-8",
        Some("svg") => "image/svg+xml; charset=utf-8",
        Some("csv") => "text/csv; charset=utf-8",
        Some("txt") => "text/plain; charset=utf-8",
        Some("png") => "image/png",
        Some("jpg" | "jpeg") => "image/jpeg",
        Some("gif") => "image/gif",
        Some("webp") => "image/webp",
        Some("ico") => "image/x-icon",
        Some("pdf") => "application/pdf",
        Some("woff2") => "font/woff2",
        Some("woff") => "font/woff",
        _ => "application/octet-stream",
    }
}

/// What a request path asks for.
#[derive(Debug, PartialEq)]
pub enum Target {
    /// A file inside the output.
    File(PathBuf),
    /// A file of the last edit, held in memory until it is written ([`Overlay`]): its bytes
    /// and its path in the output.
    Held(Arc<Vec<u8>>, String),
    /// A folder asked for without its slash: redirect to this path.
    Slash(String),
    /// Nothing there.
    Missing,
    /// A path that tries to leave the output, or cannot be a path.
    Refused,
}

/// A request path's parts: the path without its query (as sent), decoded, and its names
/// (`.` and empty names dropped). None for a path that tries to leave the output (`..` in
/// any encoding, backslashes, NUL, absolute parts) or cannot be a path.
fn parts(url: &str) -> Option<(&str, String, Vec<String>)> {
    let raw = url.split(['?', '#']).next().unwrap_or("");
    let decoded = percent_decode_str(raw).decode_utf8().ok()?.into_owned();
    if !decoded.starts_with('/') || decoded.contains('\\') || decoded.contains('\0') {
        return None;
    }
    let mut names = Vec::new();
    for c in Path::new(decoded.trim_start_matches('/')).components() {
        match c {
            Component::Normal(part) => names.push(part.to_str()?.to_string()),
            Component::CurDir => {}
            _ => return None,
        }
    }
    Some((raw, decoded, names))
}

/// What the last edit's files held in memory answer for `url`; None when the output folder
/// answers (`resolve`).
pub fn resolve_held(overlay: &Overlay, url: &str) -> Option<Target> {
    let (raw, decoded, names) = parts(url)?;
    let rel = names.join("/");
    let held = |rel: &str| {
        overlay.get(rel).map(|h| match h {
            Held::File(bytes) => Target::Held(bytes, rel.to_string()),
            Held::Gone => Target::Missing,
        })
    };
    if decoded.ends_with('/') || rel.is_empty() {
        return held(&overlay::index_of(&rel));
    }
    if let Some(t) = held(&rel) {
        return Some(t);
    }
    overlay.has_page(&rel).then(|| match same_origin(raw) {
        Some(to) => Target::Slash(to),
        None => Target::Refused,
    })
}

/// Maps a request path to a file of `root`, refusing every way out: `..` in any encoding,
/// backslashes, NUL, absolute parts, and symbolic links that lead outside.
pub fn resolve(root: &Path, url: &str) -> Target {
    let Some((raw, decoded, names)) = parts(url) else {
        return Target::Refused;
    };
    let mut path = root.to_path_buf();
    path.extend(&names);
    let (Ok(real), Ok(root_real)) = (path.canonicalize(), root.canonicalize()) else {
        return Target::Missing;
    };
    if !real.starts_with(&root_real) {
        return Target::Refused;
    }
    if real.is_dir() {
        if !decoded.ends_with('/') {
            return match same_origin(raw) {
                Some(to) => Target::Slash(to),
                None => Target::Refused,
            };
        }
        let index = real.join("index.html");
        return if index.is_file() {
            Target::File(index)
        } else {
            Target::Missing
        };
    }
    if real.is_file() {
        Target::File(real)
    } else {
        Target::Missing
    }
}

/// The redirect target for `raw` with a slash added: a path of this server, never a URL
/// another host could be read from. Repeated slashes are collapsed (`//projects` would be the
/// host `projects` to a browser), and bytes outside printable ASCII are percent-encoded.
fn same_origin(raw: &str) -> Option<String> {
    let mut to = String::with_capacity(raw.len() + 1);
    for b in raw.bytes() {
        match b {
            b'/' if to.ends_with('/') => {}
            0x21..=0x7e => to.push(char::from(b)),
            _ => to.push_str(&format!("%{b:02X}")),
        }
    }
    if !to.ends_with('/') {
        to.push('/');
    }
    (to.starts_with('/') && !to.starts_with("//") && !to.starts_with("/\\")).then_some(to)
}

/// The names the server answers to, so that a page of another site whose name was made to
/// point at this machine (DNS rebinding) cannot read the preview: loopback names always, and
/// the address given to `--bind` (any IP address when it is 0.0.0.0 or ::, since an address
/// cannot be rebound). The port is not compared.
#[derive(Debug, Clone)]
pub struct Hosts {
    bind: String,
    bind_ip: Option<std::net::IpAddr>,
}

impl Hosts {
    pub fn new(bind: &str) -> Self {
        let bind = bind.trim().to_ascii_lowercase();
        let bind_ip = bind
            .trim_start_matches('[')
            .trim_end_matches(']')
            .parse()
            .ok();
        Hosts { bind, bind_ip }
    }

    /// Whether a request with this Host header is answered.
    pub fn allows(&self, host: &str) -> bool {
        let host = host.trim().to_ascii_lowercase();
        // The name without its port: `[::1]:8000`, `localhost:8000`, `127.0.0.1`.
        let name = if host.starts_with('[') {
            match host.find(']') {
                Some(i) if host[i + 1..].is_empty() || is_port(&host[i + 1..]) => &host[..=i],
                _ => return false,
            }
        } else {
            match host.rsplit_once(':') {
                Some((n, port)) if is_port(&format!(":{port}")) => n,
                Some(_) => return false,
                None => &host,
            }
        };
        let name = name.strip_suffix('.').unwrap_or(name);
        if matches!(name, "localhost" | "127.0.0.1" | "[::1]") {
            return true;
        }
        let ip: Option<std::net::IpAddr> = name
            .trim_start_matches('[')
            .trim_end_matches(']')
            .parse()
            .ok();
        match (self.bind_ip, ip) {
            (Some(b), Some(ip)) => b.is_unspecified() || b == ip,
            (Some(_), None) => false,
            (None, _) => !name.is_empty() && name == self.bind,
        }
    }
}

fn is_port(s: &str) -> bool {
    s.strip_prefix(':')
        .is_some_and(|p| !p.is_empty() && p.len() <= 5 && p.bytes().all(|b| b.is_ascii_digit()))
}

/// Adds the live-reload script to an HTML page.
fn inject(html: Vec<u8>) -> Vec<u8> {
    let tag = format!("<script src=\"{PREFIX}live.js\"></script>\n");
    let text = String::from_utf8_lossy(&html);
    match text.rfind("</body>") {
        Some(i) => format!("{}{tag}{}", &text[..i], &text[i..]).into_bytes(),
        None => format!("{text}{tag}").into_bytes(),
    }
}

fn file_response(path: &Path, status: u16) -> Response<Cursor<Vec<u8>>> {
    bytes_response(std::fs::read(path).unwrap_or_default(), path, status)
}

/// `bytes` as the file `path`'s (its type from its name).
fn bytes_response(bytes: Vec<u8>, path: &Path, status: u16) -> Response<Cursor<Vec<u8>>> {
    let ty = content_type(path);
    let bytes = if ty.starts_with("text/html") {
        inject(bytes)
    } else {
        bytes
    };
    Response::from_data(bytes)
        .with_status_code(status)
        .with_header(header("Content-Type", ty))
        .with_header(header("Cache-Control", "no-store"))
        .with_header(header("X-Content-Type-Options", "nosniff"))
}

/// Before any build has succeeded there is no site: a page that lists the errors and, with
/// the live-reload script, turns into the site once they are fixed.
fn no_site_yet(state: &Arc<State>) -> Response<Cursor<Vec<u8>>> {
    let errors = state
        .status
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .errors
        .clone();
    let items: String = errors
        .iter()
        .map(|e| format!("<li>{}</li>", crate::escape::html(e)))
        .collect();
    let html = format!(
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>sanpi: the site does not build yet</title></head>\n<body><h1>The site does not build yet</h1><ul>{items}</ul></body></html>\n"
    );
    Response::from_data(inject(html.into_bytes()))
        .with_status_code(404)
        .with_header(header("Content-Type", "text/html; charset=utf-8"))
        .with_header(header("Cache-Control", "no-store"))
}

fn text(status: u16, body: &str) -> Response<Cursor<Vec<u8>>> {
    Response::from_data(body.as_bytes().to_vec())
        .with_status_code(status)
        .with_header(header("Content-Type", "text/plain; charset=utf-8"))
}

/// Answers one request.
pub fn handle(req: Request, state: &Arc<State>) {
    let url = req.url().to_string();
    let host = req
        .headers()
        .iter()
        .find(|h| h.field.equiv("Host"))
        .map(|h| h.value.as_str().to_string());
    if !host.is_some_and(|h| state.hosts.allows(&h)) {
        let _ = req.respond(text(
            403,
            "403 forbidden: this preview answers to localhost, 127.0.0.1 and [::1] only (and to the address given to --bind)\n",
        ));
        return;
    }
    if !matches!(req.method(), Method::Get | Method::Head) {
        let _ = req.respond(
            text(405, "405 method not allowed\n").with_header(header("Allow", "GET, HEAD")),
        );
        return;
    }
    if url == format!("{PREFIX}live.js") {
        let r = Response::from_data(LIVE_JS.as_bytes().to_vec())
            .with_header(header("Content-Type", "text/javascript; charset=utf-8"))
            .with_header(header("Cache-Control", "no-store"));
        let _ = req.respond(r);
        return;
    }
    if let Some(query) = url.strip_prefix(&format!("{PREFIX}status")) {
        let seen = query
            .strip_prefix("?seen=")
            .and_then(|n| n.parse::<u64>().ok());
        let body = status_json(state, seen);
        let r = Response::from_data(body.into_bytes())
            .with_header(header("Content-Type", "application/json; charset=utf-8"))
            .with_header(header("Cache-Control", "no-store"));
        let _ = req.respond(r);
        return;
    }
    let root = state.output.clone();
    let target = resolve_held(&state.overlay, &url).unwrap_or_else(|| resolve(&root, &url));
    let response = match target {
        Target::File(p) => file_response(&p, 200),
        Target::Held(bytes, rel) => bytes_response(bytes.to_vec(), Path::new(&rel), 200),
        Target::Slash(to) => text(301, "moved\n").with_header(header("Location", &to)),
        Target::Refused => text(400, "400 bad request: the path leaves the site\n"),
        Target::Missing => {
            let nf = root.join("404.html");
            match state.overlay.get("404.html") {
                Some(Held::File(bytes)) => bytes_response(bytes.to_vec(), &nf, 404),
                _ if nf.is_file() => file_response(&nf, 404),
                _ => no_site_yet(state),
            }
        }
    };
    let _ = req.respond(response);
}

/// The last build's generation and errors, as JSON. When the browser has `seen` this
/// generation already, waits for the next build (20 seconds at most) before answering.
fn status_json(state: &Arc<State>, seen: Option<u64>) -> String {
    let mut status = state.status.lock().unwrap_or_else(|e| e.into_inner());
    let deadline = std::time::Instant::now() + Duration::from_secs(20);
    while seen == Some(status.generation) && !status.stopping {
        let left = deadline.saturating_duration_since(std::time::Instant::now());
        if left.is_zero() {
            break;
        }
        status = state
            .changed
            .wait_timeout(status, left)
            .unwrap_or_else(|e| e.into_inner())
            .0;
    }
    serde_json::json!({"generation": status.generation, "errors": status.errors}).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_path_leaves_the_output() {
        let tmp = tempfile::tempdir().unwrap();
        let root = tmp.path().join("out");
        std::fs::create_dir_all(root.join("a")).unwrap();
        std::fs::write(root.join("a/index.html"), "x").unwrap();
        std::fs::write(tmp.path().join("secret.txt"), "s").unwrap();
        assert_eq!(
            resolve(&root, "/a/"),
            Target::File(root.join("a/index.html").canonicalize().unwrap())
        );
        assert_eq!(resolve(&root, "/a"), Target::Slash("/a/".into()));
        assert_eq!(resolve(&root, "//a"), Target::Slash("/a/".into()));
        assert_eq!(resolve(&root, "///a?x"), Target::Slash("/a/".into()));
        assert_eq!(resolve(&root, "/%2Fa"), Target::Slash("/%2Fa/".into()));
        assert_eq!(resolve(&root, "/nope"), Target::Missing);
        for bad in [
            "/../secret.txt",
            "/a/../../secret.txt",
            "/%2e%2e/secret.txt",
            "/%2E%2E%2fsecret.txt",
            "/..%2fsecret.txt",
            "/a%2f..%2f..%2fsecret.txt",
            "/..\\secret.txt",
            "/%5c..%5csecret.txt",
            "/a/%00",
            "%2e%2e",
            "/%ff",
        ] {
            assert_eq!(resolve(&root, bad), Target::Refused, "{bad}");
        }
        // Twice-encoded dots are a file name, not a way up.
        assert_eq!(resolve(&root, "/%252e%252e/secret.txt"), Target::Missing);
        #[cfg(unix)]
        {
            std::os::unix::fs::symlink(tmp.path().join("secret.txt"), root.join("link.txt"))
                .unwrap();
            assert_eq!(resolve(&root, "/link.txt"), Target::Refused);
        }
    }

    #[test]
    fn the_last_edits_files_are_answered_from_memory_until_written() {
        let overlay = Overlay::default();
        assert_eq!(resolve_held(&overlay, "/projects/a/"), None);
        let page = Arc::new(b"<p>new</p>".to_vec());
        overlay.set(&crate::Staged {
            files: vec![
                ("projects/a/index.html".into(), page.clone()),
                ("search/x/1.js".into(), Arc::new(b"x".to_vec())),
                ("index.html".into(), page.clone()),
            ],
            gone: vec!["projects/b/index.html".into()],
        });
        let held = |rel: &str| Some(Target::Held(page.clone(), rel.to_string()));
        assert_eq!(
            resolve_held(&overlay, "/projects/a/"),
            held("projects/a/index.html")
        );
        assert_eq!(
            resolve_held(&overlay, "//projects/./a/?q=1"),
            held("projects/a/index.html")
        );
        assert_eq!(resolve_held(&overlay, "/"), held("index.html"));
        assert_eq!(
            resolve_held(&overlay, "/projects/a"),
            Some(Target::Slash("/projects/a/".into()))
        );
        assert!(matches!(
            resolve_held(&overlay, "/search/x/1.js"),
            Some(Target::Held(_, rel)) if rel == "search/x/1.js"
        ));
        // A page gone is gone at once, though its file is still on disk.
        assert_eq!(
            resolve_held(&overlay, "/projects/b/"),
            Some(Target::Missing)
        );
        // What the edit did not touch, and paths that leave the site, are the folder's.
        assert_eq!(resolve_held(&overlay, "/projects/c/"), None);
        assert_eq!(resolve_held(&overlay, "/../projects/a/"), None);
        assert_eq!(resolve_held(&overlay, "/%2e%2e/index.html"), None);
        overlay.clear();
        assert_eq!(resolve_held(&overlay, "/projects/a/"), None);
    }

    #[test]
    fn redirects_stay_on_this_server() {
        assert_eq!(same_origin("//evil.example"), Some("/evil.example/".into()));
        assert_eq!(same_origin("/a//b"), Some("/a/b/".into()));
        assert_eq!(same_origin("/中"), Some("/%E4%B8%AD/".into()));
        assert_eq!(same_origin("evil"), None);
    }

    #[test]
    fn answers_loopback_names_and_the_bound_address_only() {
        let local = Hosts::new("127.0.0.1");
        for ok in [
            "localhost",
            "localhost:8000",
            "LOCALHOST.",
            "127.0.0.1",
            "127.0.0.1:1",
            "[::1]",
            "[::1]:8000",
        ] {
            assert!(local.allows(ok), "{ok}");
        }
        for bad in [
            "evil.example",
            "evil.example:8000",
            "localhost.evil.example",
            "127.0.0.2",
            "",
            "localhost:x",
            "[::1]x",
            "192.168.1.5",
        ] {
            assert!(!local.allows(bad), "{bad}");
        }
        let lan = Hosts::new("192.168.1.5");
        assert!(lan.allows("192.168.1.5:8000") && lan.allows("localhost"));
        assert!(!lan.allows("192.168.1.6") && !lan.allows("evil.example"));
        let any = Hosts::new("0.0.0.0");
        assert!(any.allows("10.0.0.7:8000") && any.allows("[fe80::1]"));
        assert!(!any.allows("evil.example"));
        let named = Hosts::new("preview.lan");
        assert!(named.allows("preview.lan:8000") && !named.allows("evil.example"));
    }

    #[test]
    fn pages_get_the_live_reload_script() {
        let html = inject(b"<html><body><p>x</p></body></html>".to_vec());
        assert!(String::from_utf8(html)
            .unwrap()
            .contains("<script src=\"/__sanpi/live.js\"></script>\n</body>"));
        assert_eq!(
            content_type(Path::new("a/b.svg")),
            "image/svg+xml; charset=utf-8"
        );
    }
}
