//! Text decoding and label clean-up shared by the readers.

/// A byte that does not decode, where a person sees it: 1-based line and character.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BadByte {
    /// The encoding the file was judged to be in.
    pub encoding: &'static str,
    pub line: usize,
    pub column: usize,
    pub byte: u8,
}

impl BadByte {
    /// The message without the line, for a [`juesuan_model::Problem`] that has the line.
    pub fn in_line(&self) -> String {
        format!(
            "第{}个字符处的字节 0x{:02X} 不是有效的 {} 编码（文件的其余部分是 {}）；请删除或重新输入这个字符，并以 UTF-8 保存文件",
            self.column, self.byte, self.encoding, self.encoding
        )
    }
}

impl std::fmt::Display for BadByte {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "第{}行{}", self.line, self.in_line())
    }
}

/// Decodes a file: UTF-8 with or without BOM, else GB18030 (what Chinese Excel writes).
///
/// A file that is not valid UTF-8 is judged by what it holds: with a BOM, or with at least as
/// many well-formed multi-byte UTF-8 characters as malformed sequences, it is UTF-8 with a bad
/// byte (GB18030 Chinese text almost never forms a valid UTF-8 sequence, so such a file would
/// have many malformed ones and none or few well-formed); otherwise it is read as GB18030. Either
/// way the first byte that does not decode is reported, never replaced.
pub fn decode(bytes: &[u8]) -> Result<String, BadByte> {
    let (bom, bytes) = match bytes.strip_prefix(b"\xef\xbb\xbf") {
        Some(rest) => (true, rest),
        None => (false, bytes),
    };
    let Err(err) = std::str::from_utf8(bytes) else {
        return Ok(String::from_utf8_lossy(bytes).into_owned());
    };
    let (mut wide, mut bad) = (0usize, 0usize);
    for chunk in bytes.utf8_chunks() {
        wide += chunk.valid().chars().filter(|c| !c.is_ascii()).count();
        bad += usize::from(!chunk.invalid().is_empty());
    }
    if bom || (wide > 0 && wide >= bad) {
        let at = err.valid_up_to();
        let before = String::from_utf8_lossy(&bytes[..at]);
        return Err(bad_byte("UTF-8", &before, bytes[at]));
    }
    let mut decoder = encoding_rs::GB18030.new_decoder_without_bom_handling();
    let mut out = String::with_capacity(
        decoder
            .max_utf8_buffer_length_without_replacement(bytes.len())
            .unwrap_or(bytes.len() * 3),
    );
    let (result, read) = decoder.decode_to_string_without_replacement(bytes, &mut out, true);
    match result {
        encoding_rs::DecoderResult::InputEmpty => Ok(out),
        encoding_rs::DecoderResult::Malformed(len, extra) => {
            let at = read.saturating_sub(usize::from(len) + usize::from(extra));
            Err(bad_byte(
                "GB18030",
                &out,
                bytes.get(at).copied().unwrap_or(0),
            ))
        }
        // the buffer was sized for the whole input
        encoding_rs::DecoderResult::OutputFull => Err(bad_byte("GB18030", &out, 0)),
    }
}

fn bad_byte(encoding: &'static str, before: &str, byte: u8) -> BadByte {
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    BadByte {
        encoding,
        line: before.matches('\n').count() + 1,
        column: before[line_start..].chars().count() + 1,
        byte,
    }
}

/// Strips an outline number from an item label: "一、", "（一）", "1.", "1、", "(1)".
pub fn strip_numbering(label: &str) -> &str {
    let s = label.trim();
    let numerals = |c: char| "一二三四五六七八九十百0123456789０１２３４５６７８９".contains(c);
    // （一） / (1)
    for (open, close) in [('（', '）'), ('(', ')')] {
        if let Some(rest) = s.strip_prefix(open) {
            if let Some(end) = rest.find(close) {
                if rest[..end].chars().all(numerals) && end > 0 {
                    return rest[end + close.len_utf8()..].trim();
                }
            }
        }
    }
    // 一、 / 1. / 1、
    let prefix_len: usize = s
        .chars()
        .take_while(|&c| numerals(c))
        .map(char::len_utf8)
        .sum();
    if prefix_len > 0 {
        let rest = &s[prefix_len..];
        for sep in ['、', '.', '．'] {
            if let Some(r) = rest.strip_prefix(sep) {
                return r.trim();
            }
        }
    }
    s
}

/// Splits "2040601 行政运行" into ("2040601", "行政运行"); a bare code gives ("2040601", "").
pub fn split_code(cell: &str) -> Option<(&str, &str)> {
    let s = cell.trim();
    let digits = s.bytes().take_while(u8::is_ascii_digit).count();
    if digits == 0 {
        return None;
    }
    Some((&s[..digits], s[digits..].trim()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbering_is_stripped() {
        assert_eq!(strip_numbering("四、公共安全支出"), "公共安全支出");
        assert_eq!(strip_numbering("（一）人员经费"), "人员经费");
        assert_eq!(strip_numbering("12. 其他"), "其他");
        assert_eq!(strip_numbering("本年收入合计"), "本年收入合计");
        assert_eq!(strip_numbering("一般公共服务支出"), "一般公共服务支出");
    }

    #[test]
    fn gbk_is_decoded() {
        let (bytes, _, _) = encoding_rs::GBK.encode("项目,决算数");
        assert_eq!(decode(&bytes).unwrap(), "项目,决算数");
        assert_eq!(decode("\u{feff}合计".as_bytes()).unwrap(), "合计");
    }

    #[test]
    fn utf8_and_gb18030_decode() {
        assert_eq!(decode("科目,决算数".as_bytes()).unwrap(), "科目,决算数");
        assert_eq!(decode(b"\xef\xbb\xbfa").unwrap(), "a");
        let (gb, _, _) = encoding_rs::GB18030.encode("科目编码,科目名称\n合计,1.00");
        assert_eq!(decode(&gb).unwrap(), "科目编码,科目名称\n合计,1.00");
    }

    #[test]
    fn a_bad_byte_in_utf8_is_named_where_it_is() {
        let mut b = "科目编码,科目名称\n,合计,1".as_bytes().to_vec();
        b.push(0xff);
        let e = decode(&b).unwrap_err();
        assert_eq!(
            (e.encoding, e.line, e.column, e.byte),
            ("UTF-8", 2, 6, 0xff)
        );
        assert!(e.to_string().contains("第2行第6个字符"), "{e}");
        // with a BOM the file says it is UTF-8, even when it is mostly ASCII
        let e = decode(b"\xef\xbb\xbfa,b\nc\xb1").unwrap_err();
        assert_eq!((e.encoding, e.line, e.column), ("UTF-8", 2, 2));
    }

    #[test]
    fn a_bad_byte_in_gb18030_is_named_where_it_is() {
        let (gb, _, _) = encoding_rs::GB18030.encode("科目编码\n合计");
        let mut b = gb.into_owned();
        b.push(0xff);
        let e = decode(&b).unwrap_err();
        assert_eq!(
            (e.encoding, e.line, e.column, e.byte),
            ("GB18030", 2, 3, 0xff)
        );
    }
}
