//! Load and validate a whole site held in memory: site.yaml, then entries separated by a
//! NUL byte, each starting with a byte that says its kind. Every entry is parsed, the site
//! assembled and its pages planned; nothing may panic.
#![no_main]
use libfuzzer_sys::fuzz_target;
use sanpi::content::{article, period, project, regions, targets, Content};
use sanpi::source;
use sanpi::diagnostics::Diagnostics;
use sanpi::markdown::Settings;

fuzz_target!(|data: &[u8]| {
    let mut parts = data.split(|&b| b == 0);
    let Some(site_yaml) = parts.next() else { return };
    let Ok(src) = source::decode(site_yaml.to_vec(), "content/site.yaml") else { return };
    let mut diags = Diagnostics::new();
    let Some(config) = sanpi::config::parse(&src, None, &mut diags) else { return };
    let md = Settings { unsafe_html: config.unsafe_html };
    let mut content = Content {
        config,
        periods: vec![],
        projects: vec![],
        bulletins: vec![],
        pages: vec![],
        statics: vec![],
        periods_incomplete: false,
        imports: None,
        regions: None,
        targets: vec![],
    };
    for (i, part) in parts.enumerate().take(64) {
        let Some((&kind, text)) = part.split_first() else { continue };
        let rel = format!("content/x/{i}.md");
        let Ok(src) = source::decode(text.to_vec(), &rel) else { continue };
        let stem = format!("e{i}");
        let r = match kind % 7 {
            0 => project::parse(&src, &stem, true, md).map(|p| content.projects.push(p)),
            1 => project::parse(&src, &stem, false, md).map(|p| content.projects.push(p)),
            2 => period::parse(&src, md).map(|p| content.periods.push(p)),
            3 => article::parse(&src, &stem, article::Kind::Bulletin, md).map(|a| content.bulletins.push(a)),
            4 => article::parse(&src, &stem, article::Kind::Page, md).map(|a| content.pages.push(a)),
            // The tree of regions and a year's targets, which the site checks the rest against.
            5 => regions::Regions::parse(&src).map(|r| content.regions = Some(r)),
            _ => targets::Targets::parse(&src).map(|t| content.targets.push(t)),
        };
        if let Err(errors) = r {
            for e in &errors {
                assert!(e.to_string().starts_with(&format!("error: {rel}")));
            }
        }
    }
    if let Some(site) = sanpi::site::assemble(content, true, &mut diags) {
        let _ = sanpi::plan::plan(&site, &[], &mut diags);
        let _ = sanpi::charts::render_all(&site);
    }
});
