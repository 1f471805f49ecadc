//! Text decoding and label clean-up shared by the readers.

/// Decodes a file: UTF-8 with or without BOM, else GB18030 (what Chinese Excel writes).
pub fn decode_text(bytes: &[u8]) -> String {
    let bytes = bytes.strip_prefix(b"\xef\xbb\xbf").unwrap_or(bytes);
    match std::str::from_utf8(bytes) {
        Ok(s) => s.to_string(),
        Err(_) => encoding_rs::GB18030.decode(bytes).0.into_owned(),
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
        assert_eq!(decode_text(&bytes), "项目,决算数");
        assert_eq!(decode_text("\u{feff}合计".as_bytes()), "合计");
    }
}
