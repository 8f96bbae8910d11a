//! Bytes to text: byte-order marks, declared charsets, sniffing, and refusal
//! of binary content.

use encoding_rs::Encoding;

use crate::ExtractError;

/// Decodes a document to a `String`.
///
/// Order of evidence: a byte-order mark; valid UTF-8 as it stands; the
/// charset declared by the transport (`declared`); a `<meta charset>` in the
/// first bytes of an HTML page; finally `chardetng`'s guess. Empty and binary
/// inputs are refused with a reason.
pub fn decode(bytes: &[u8], declared: Option<&str>, is_html: bool) -> Result<String, ExtractError> {
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Err(ExtractError::Empty);
    }
    if let Some((encoding, bom_len)) = Encoding::for_bom(bytes) {
        let (text, _) = encoding.decode_without_bom_handling(&bytes[bom_len..]);
        return Ok(text.into_owned());
    }
    if looks_binary(bytes) {
        return Err(ExtractError::Binary);
    }
    if let Ok(text) = std::str::from_utf8(bytes) {
        return Ok(text.to_string());
    }
    let encoding = declared
        .and_then(|label| Encoding::for_label(label.trim().as_bytes()))
        .filter(|e| *e != encoding_rs::UTF_8)
        .or_else(|| if is_html { meta_charset(bytes) } else { None })
        .filter(|e| *e != encoding_rs::UTF_8)
        .unwrap_or_else(|| {
            let mut detector = chardetng::EncodingDetector::new(chardetng::Iso2022JpDetection::Deny);
            detector.feed(bytes, true);
            detector.guess(None, chardetng::Utf8Detection::Allow)
        });
    let (text, _) = encoding.decode_without_bom_handling(bytes);
    Ok(text.into_owned())
}

/// True for content that is not text: NUL bytes, or many control bytes, in
/// the first 8 KiB.
pub fn looks_binary(bytes: &[u8]) -> bool {
    let head = &bytes[..bytes.len().min(8192)];
    if head.contains(&0) {
        return true;
    }
    let control = head.iter().filter(|&&b| b < 0x20 && !matches!(b, b'\n' | b'\r' | b'\t' | 0x0c)).count();
    control * 20 > head.len()
}

/// The charset named by `<meta charset=...>` or `content="...; charset=..."`
/// in the first 4 KiB of a page.
fn meta_charset(bytes: &[u8]) -> Option<&'static Encoding> {
    let head = String::from_utf8_lossy(&bytes[..bytes.len().min(4096)]).to_ascii_lowercase();
    let mut rest = head.as_str();
    while let Some(at) = rest.find("charset") {
        rest = &rest[at + 7..];
        let value = rest.trim_start().strip_prefix('=')?.trim_start().trim_start_matches(['"', '\'']);
        let end = value.find(|c: char| !(c.is_ascii_alphanumeric() || c == '-' || c == '_')).unwrap_or(value.len());
        if let Some(encoding) = Encoding::for_label(&value.as_bytes()[..end]) {
            return Some(encoding);
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn windows_1252_is_decoded_from_the_declared_or_sniffed_charset() {
        let bytes = b"Le pr\xe9sident a d\xe9clar\xe9 samedi que l'\xe9t\xe9 serait chaud.";
        assert_eq!(
            decode(bytes, Some("windows-1252"), false).unwrap(),
            "Le président a déclaré samedi que l'été serait chaud."
        );
        assert_eq!(decode(bytes, None, false).unwrap(), "Le président a déclaré samedi que l'été serait chaud.");
        let html = b"<html><head><meta charset=\"iso-8859-1\"></head><body>caf\xe9</body></html>";
        assert!(decode(html, None, true).unwrap().contains("café"));
    }

    #[test]
    fn boms_win_over_everything() {
        let utf16: Vec<u8> =
            [0xff, 0xfe].into_iter().chain("hé".encode_utf16().flat_map(|u| u.to_le_bytes())).collect();
        assert_eq!(decode(&utf16, None, false).unwrap(), "hé");
    }

    #[test]
    fn empty_and_binary_inputs_are_refused() {
        assert!(matches!(decode(b"", None, false), Err(ExtractError::Empty)));
        assert!(matches!(decode(b" \n\t ", None, false), Err(ExtractError::Binary | ExtractError::Empty)));
        assert!(matches!(decode(b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR", None, false), Err(ExtractError::Binary)));
        let junk: Vec<u8> = (0..4096u32).map(|i| (i * 7919 % 251) as u8).collect();
        assert!(matches!(decode(&junk, None, false), Err(ExtractError::Binary)));
    }
}
