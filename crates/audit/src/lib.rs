//! `juesuan audit`: reads a published 决算公开 (.txt, .docx, .pdf) and lists every number that
//! disagrees with another.

pub mod figure;
pub mod read;
pub mod text;
