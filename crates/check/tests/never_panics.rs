//! The formula parser answers every string with a formula or a message, never a panic.

use juesuan_check::lang::parse;
use proptest::prelude::*;

proptest! {
    #[test]
    fn any_text_parses_or_is_refused(src in "\\PC{0,60}") {
        let _ = parse(&src);
    }

    #[test]
    fn formula_like_text_parses_or_is_refused(
        src in "(for [rc] in (rows|columns)\\(T[1-9](, (类|款|项))?\\): )?T[1-9]\\[[a-z0-9合计]{1,6}(; [a-z合计]{1,4})?\\] (=|<=|>|!=|->) (sum\\()?T[1-9]\\[[a-z0-9@]{1,6}\\]\\)?( and| or)?"
    ) {
        let _ = parse(&src);
    }
}
