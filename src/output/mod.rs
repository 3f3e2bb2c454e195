//! Output: the plan of pages, data files, feeds, and the atomic write of the whole site.

pub mod data;
pub mod feeds;
pub mod plan;
pub mod search;
pub mod write;
pub mod xlsx;
