//! sanpi: a static report-site generator for the progress bulletins of investment-project
//! campaigns such as Henan's “三个一批”.
//!
//! One way through: [`content::load`] reads and validates each file, [`site::assemble`]
//! checks them against each other and computes totals, [`plan::plan`] lists every
//! page, and [`build()`] renders them in parallel into a staging folder that replaces the output
//! only when everything was written.

pub mod amount;
pub mod build;
pub mod cards;
pub mod charts;
pub mod columns;
pub mod config;
pub mod content;
mod csvfile;
pub mod diagnostics;
mod escape;
pub mod init;
mod labels;
pub mod ledger;
pub mod license;
pub mod markdown;
pub mod model;
pub mod new;
mod output;
pub mod plan;
pub mod portal;
mod progress;
mod render;
pub mod report;
pub mod serve;
pub mod share;
pub mod shortcode;
pub mod site;
mod slug;
pub mod source;
pub mod terminal;
mod text;
mod urls;
mod yaml;

pub use build::{
    build, build_live, check, prepare, BuildOptions, Live, Outcome, Prepared, Staged, Summary,
};
