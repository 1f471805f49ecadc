//! The PDF of a 决算公开 document: A4, cover title, 目录, page numbers, bordered tables with
//! 单位：万元 labels, the charts (the same SVG the HTML shows) and, for drafts, a 草稿 mark on
//! every page. The document is written as typst markup (`markup.rs`) and typeset by the typst
//! library in-process; the CJK font is embedded (subset) in the PDF.
//!
//! Not for choosing figures or words (report crate) or for HTML (html crate).

mod fonts;
mod markup;

pub use fonts::Fonts;

use juesuan_report::Document;
use std::collections::HashMap;
use typst::diag::{FileError, FileResult};
use typst::foundations::{Bytes, Datetime};
use typst::syntax::{FileId, Source, VirtualPath};
use typst::text::{Font, FontBook};
use typst::utils::LazyHash;
use typst::{Library, World};

/// Typesets `doc`; `draft` puts 草稿 across every page.
pub fn render(doc: &Document, draft: bool, fonts: &Fonts) -> Result<Vec<u8>, String> {
    let (source, files) = markup::write(doc, draft, fonts.family());
    let world = DocWorld::new(source, files, fonts);
    let compiled = typst::compile::<typst::layout::PagedDocument>(&world)
        .output
        .map_err(|errors| diagnostics(&errors))?;
    let options = typst_pdf::PdfOptions {
        ident: typst::foundations::Smart::Custom(&doc.title),
        ..Default::default()
    };
    typst_pdf::pdf(&compiled, &options).map_err(|errors| diagnostics(&errors))
}

/// The typst source `render` compiles, for debugging layout.
pub fn markup(doc: &Document, draft: bool, fonts: &Fonts) -> String {
    markup::write(doc, draft, fonts.family()).0
}

fn diagnostics(errors: &[typst::diag::SourceDiagnostic]) -> String {
    let list: Vec<String> = errors.iter().map(|e| e.message.to_string()).collect();
    format!("PDF 排版失败：{}", list.join("；"))
}

struct DocWorld {
    library: LazyHash<Library>,
    book: LazyHash<FontBook>,
    fonts: Vec<Font>,
    main: Source,
    files: HashMap<FileId, Bytes>,
}

impl DocWorld {
    fn new(source: String, files: Vec<(String, Vec<u8>)>, fonts: &Fonts) -> DocWorld {
        let main_id = FileId::new(None, VirtualPath::new("main.typ"));
        DocWorld {
            library: LazyHash::new(Library::builder().build()),
            book: LazyHash::new(FontBook::from_fonts(fonts.list())),
            fonts: fonts.list().to_vec(),
            main: Source::new(main_id, source),
            files: files
                .into_iter()
                .map(|(name, data)| (FileId::new(None, VirtualPath::new(&name)), Bytes::new(data)))
                .collect(),
        }
    }
}

impl World for DocWorld {
    fn library(&self) -> &LazyHash<Library> {
        &self.library
    }

    fn book(&self) -> &LazyHash<FontBook> {
        &self.book
    }

    fn main(&self) -> FileId {
        self.main.id()
    }

    fn source(&self, id: FileId) -> FileResult<Source> {
        if id == self.main.id() {
            Ok(self.main.clone())
        } else {
            Err(FileError::NotFound(id.vpath().as_rootless_path().into()))
        }
    }

    fn file(&self, id: FileId) -> FileResult<Bytes> {
        self.files
            .get(&id)
            .cloned()
            .ok_or_else(|| FileError::NotFound(id.vpath().as_rootless_path().into()))
    }

    fn font(&self, index: usize) -> Option<Font> {
        self.fonts.get(index).cloned()
    }

    fn today(&self, _offset: Option<i64>) -> Option<Datetime> {
        // the document never prints today's date: builds are reproducible
        None
    }
}
