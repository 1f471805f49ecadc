//! The document as read, from `juesuan-read`: lines with their location and the tables found.

pub use juesuan_read::{decode, read, text_lines, Format, Source, SourceLine};
