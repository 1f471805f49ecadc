//! Finding the CJK font. `scripts/setup` installs Debian's fonts-noto-cjk (思源宋体 / Noto Serif
//! CJK SC); `JUESUAN_FONT_DIR` points elsewhere. Without a CJK font the PDF would show empty
//! boxes, so a missing font is an error that says how to install one.

use std::path::{Path, PathBuf};
use typst::foundations::Bytes;
use typst::text::Font;

/// The fonts typst may use, loaded once and shared by every build of a run.
pub struct Fonts {
    fonts: Vec<Font>,
    family: String,
}

const CANDIDATES: [&str; 4] = [
    "NotoSerifCJK-Regular.ttc",
    "NotoSerifCJK-Bold.ttc",
    "NotoSansCJK-Regular.ttc",
    "NotoSansCJK-Bold.ttc",
];

const SEARCH: [&str; 3] = [
    "/usr/share/fonts/opentype/noto",
    "/usr/share/fonts/noto-cjk",
    "/usr/share/fonts/google-noto-cjk",
];

impl Fonts {
    /// Loads the Noto CJK fonts from `JUESUAN_FONT_DIR` or the system font directories.
    pub fn discover() -> Result<Fonts, String> {
        let mut dirs: Vec<PathBuf> = Vec::new();
        if let Some(d) = std::env::var_os("JUESUAN_FONT_DIR") {
            dirs.push(PathBuf::from(d));
        }
        dirs.extend(SEARCH.iter().map(PathBuf::from));
        let mut fonts = Vec::new();
        for name in CANDIDATES {
            if let Some(path) = dirs.iter().map(|d| d.join(name)).find(|p| p.is_file()) {
                fonts.extend(load(&path)?);
            }
        }
        Fonts::from_fonts(fonts).ok_or_else(|| {
            "找不到中文字体（Noto Serif CJK / Noto Sans CJK）。请运行 scripts/setup 安装 fonts-noto-cjk，或设置 JUESUAN_FONT_DIR 指向含 NotoSerifCJK-Regular.ttc 的目录。".to_string()
        })
    }

    /// Fonts from font files (TTF, OTF or TTC collections).
    pub fn from_files(paths: &[&Path]) -> Result<Fonts, String> {
        let mut fonts = Vec::new();
        for p in paths {
            fonts.extend(load(p)?);
        }
        Fonts::from_fonts(fonts).ok_or_else(|| "字体文件中没有可用的中文字体".to_string())
    }

    fn from_fonts(fonts: Vec<Font>) -> Option<Fonts> {
        let family = ["Noto Serif CJK SC", "Noto Sans CJK SC"]
            .into_iter()
            .find(|f| fonts.iter().any(|font| font.info().family == *f))?
            .to_string();
        Some(Fonts { fonts, family })
    }

    pub fn list(&self) -> &[Font] {
        &self.fonts
    }

    /// The body font family, e.g. "Noto Serif CJK SC".
    pub fn family(&self) -> &str {
        &self.family
    }
}

fn load(path: &Path) -> Result<Vec<Font>, String> {
    let data = std::fs::read(path).map_err(|e| format!("读取字体 {} 失败：{e}", path.display()))?;
    Ok(Font::iter(Bytes::new(data)).collect())
}
