//! A small, dependency-free PDF writer for the fapiao kabao hands out
//! (fapiao-files downloads, self-issued fapiao previews). Text is set in the
//! predefined CID font `STSong-Light` with the `UniGB-UCS2-H` CMap, so every
//! PDF viewer shows Chinese without kabao embedding a font file.

use std::fmt::Write as _;

/// Page size: A4 portrait, in PDF points.
const PAGE_WIDTH: f32 = 595.0;
const PAGE_HEIGHT: f32 = 842.0;
/// Margin on every side, in points.
const MARGIN: f32 = 50.0;
/// Body and title font sizes and the distance between baselines.
const BODY_SIZE: f32 = 11.0;
const TITLE_SIZE: f32 = 16.0;
const LEADING: f32 = 16.0;
/// Body lines on one page: what fits below the title and above the footer.
const LINES_PER_PAGE: usize = 44;
/// Widest body line, in em (full-width characters count 1, ASCII ½).
const MAX_LINE_EMS: f32 = (PAGE_WIDTH - 2.0 * MARGIN) / BODY_SIZE;

/// Renders `title` and `lines` as a PDF document: the title on top of every
/// page, lines wrapped to the page width, as many A4 pages as needed, and
/// "n / m" page numbers at the foot.
pub fn render_fapiao_pdf(title: &str, lines: &[String]) -> Vec<u8> {
    let wrapped: Vec<String> = lines.iter().flat_map(|l| wrap_line(l)).collect();
    let pages: Vec<&[String]> = if wrapped.is_empty() {
        vec![&[]]
    } else {
        wrapped.chunks(LINES_PER_PAGE).collect()
    };
    let page_count = pages.len();

    let mut objects: Vec<Vec<u8>> = Vec::new();
    // 1: catalog, 2: page tree, 3: Type0 font, 4: CID font, 5: descriptor;
    // then a (page, content) pair per page.
    let first_page_obj = 6;
    let kids: Vec<String> = (0..page_count)
        .map(|i| format!("{} 0 R", first_page_obj + 2 * i))
        .collect();
    objects.push(b"<< /Type /Catalog /Pages 2 0 R >>".to_vec());
    objects.push(
        format!(
            "<< /Type /Pages /Kids [{}] /Count {} >>",
            kids.join(" "),
            page_count
        )
        .into_bytes(),
    );
    objects.push(
        b"<< /Type /Font /Subtype /Type0 /BaseFont /STSong-Light /Encoding /UniGB-UCS2-H \
/DescendantFonts [4 0 R] >>"
            .to_vec(),
    );
    objects.push(
        b"<< /Type /Font /Subtype /CIDFontType0 /BaseFont /STSong-Light \
/CIDSystemInfo << /Registry (Adobe) /Ordering (GB1) /Supplement 2 >> \
/FontDescriptor 5 0 R /DW 1000 /W [1 95 500] >>"
            .to_vec(),
    );
    objects.push(
        b"<< /Type /FontDescriptor /FontName /STSong-Light /Flags 6 \
/FontBBox [-25 -254 1000 880] /ItalicAngle 0 /Ascent 880 /Descent -120 \
/CapHeight 880 /StemV 93 >>"
            .to_vec(),
    );
    for (index, page_lines) in pages.iter().enumerate() {
        let content_obj = first_page_obj + 2 * index + 1;
        objects.push(
            format!(
                "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 {PAGE_WIDTH} {PAGE_HEIGHT}] \
/Resources << /Font << /F1 3 0 R >> >> /Contents {content_obj} 0 R >>"
            )
            .into_bytes(),
        );
        let stream = page_content(title, page_lines, index + 1, page_count);
        let mut content = format!("<< /Length {} >>\nstream\n", stream.len()).into_bytes();
        content.extend_from_slice(stream.as_bytes());
        content.extend_from_slice(b"\nendstream");
        objects.push(content);
    }
    assemble(&objects)
}

/// The drawing operators of one page.
fn page_content(title: &str, lines: &[String], page: usize, page_count: usize) -> String {
    let mut ops = String::new();
    let top = PAGE_HEIGHT - MARGIN - TITLE_SIZE;
    let title_x = ((PAGE_WIDTH - width_in_ems(title) * TITLE_SIZE) / 2.0).max(MARGIN);
    let _ = writeln!(
        ops,
        "BT /F1 {TITLE_SIZE} Tf {title_x:.1} {top:.1} Td {} Tj ET",
        hex_text(title)
    );
    let _ = writeln!(
        ops,
        "BT /F1 {BODY_SIZE} Tf {LEADING} TL {MARGIN:.1} {:.1} Td",
        top - 2.0 * LEADING
    );
    for line in lines {
        let _ = writeln!(ops, "{} Tj T*", hex_text(line));
    }
    ops.push_str("ET\n");
    let footer = format!("{page} / {page_count}");
    let footer_x = (PAGE_WIDTH - width_in_ems(&footer) * 9.0) / 2.0;
    let _ = write!(
        ops,
        "BT /F1 9 Tf {footer_x:.1} {:.1} Td {} Tj ET",
        MARGIN / 2.0,
        hex_text(&footer)
    );
    ops
}

/// Splits one logical line into pieces no wider than the text column.
fn wrap_line(line: &str) -> Vec<String> {
    let mut pieces = Vec::new();
    let mut current = String::new();
    let mut width = 0.0;
    for ch in line.chars() {
        let w = char_ems(ch);
        if width + w > MAX_LINE_EMS && !current.is_empty() {
            pieces.push(std::mem::take(&mut current));
            width = 0.0;
        }
        current.push(ch);
        width += w;
    }
    pieces.push(current);
    pieces
}

/// Width of a string in em, as `STSong-Light` sets it with our `/W` array.
fn width_in_ems(text: &str) -> f32 {
    text.chars().map(char_ems).sum()
}

/// ASCII is half-width (CIDs 1–95 are 500 units wide), the rest full-width.
fn char_ems(ch: char) -> f32 {
    if ch.is_ascii() {
        0.5
    } else {
        1.0
    }
}

/// A PDF hex string of the UCS-2 (UTF-16BE, BMP only) code units of
/// `text`, the encoding `UniGB-UCS2-H` expects. Control characters and
/// characters outside the BMP, which UCS-2 cannot carry, become `?`.
fn hex_text(text: &str) -> String {
    let mut hex = String::with_capacity(2 + text.len() * 4);
    hex.push('<');
    for ch in text.chars() {
        let code = u32::from(ch);
        let unit = if ch.is_control() || code > 0xFFFF {
            u32::from('?')
        } else {
            code
        };
        let _ = write!(hex, "{unit:04X}");
    }
    hex.push('>');
    hex
}

/// Numbers the objects 1..=n and writes header, bodies, xref and trailer.
fn assemble(objects: &[Vec<u8>]) -> Vec<u8> {
    let mut out: Vec<u8> = b"%PDF-1.4\n%\xE2\xE3\xCF\xD3\n".to_vec();
    let mut offsets = Vec::with_capacity(objects.len());
    for (index, body) in objects.iter().enumerate() {
        offsets.push(out.len());
        out.extend_from_slice(format!("{} 0 obj\n", index + 1).as_bytes());
        out.extend_from_slice(body);
        out.extend_from_slice(b"\nendobj\n");
    }
    let xref_at = out.len();
    let mut xref = format!("xref\n0 {}\n0000000000 65535 f \n", objects.len() + 1);
    for offset in offsets {
        let _ = writeln!(xref, "{offset:010} 00000 n ");
    }
    let _ = write!(
        xref,
        "trailer\n<< /Size {} /Root 1 0 R >>\nstartxref\n{xref_at}\n%%EOF\n",
        objects.len() + 1
    );
    out.extend_from_slice(xref.as_bytes());
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Reads the xref table and checks every entry points at `N 0 obj`.
    fn check_xref(pdf: &[u8]) -> usize {
        let text = String::from_utf8_lossy(pdf);
        let start: usize = text
            .rsplit("startxref\n")
            .next()
            .and_then(|t| t.lines().next())
            .and_then(|n| n.trim().parse().ok())
            .expect("startxref");
        assert!(
            pdf[start..].starts_with(b"xref\n"),
            "startxref points at xref"
        );
        let table = std::str::from_utf8(&pdf[start..]).expect("ascii xref");
        let mut rows = table.lines().skip(1);
        let header = rows.next().unwrap();
        let count: usize = header.split(' ').nth(1).unwrap().parse().unwrap();
        let entries: Vec<&str> = table.split('\n').skip(2).take(count).collect();
        assert_eq!(entries[0], "0000000000 65535 f ");
        for (n, entry) in entries.iter().enumerate().skip(1) {
            assert_eq!(entry.len() + 1, 20, "xref entries are 20 bytes");
            let offset: usize = entry[..10].parse().unwrap();
            let expected = format!("{n} 0 obj");
            assert!(
                pdf[offset..].starts_with(expected.as_bytes()),
                "xref entry {n} points at {expected}"
            );
        }
        count - 1
    }

    fn page_count(pdf: &[u8]) -> usize {
        String::from_utf8_lossy(pdf)
            .matches("/Type /Page /Parent")
            .count()
    }

    #[test]
    fn a_short_fapiao_is_one_valid_page_with_chinese_as_ucs2() {
        let pdf = render_fapiao_pdf(
            "电子发票（普通发票）",
            &["购买方：深圳市腾讯计算机系统有限公司".into()],
        );
        assert!(pdf.starts_with(b"%PDF-"));
        assert!(pdf.ends_with(b"%%EOF\n"));
        assert_eq!(check_xref(&pdf), 7);
        assert_eq!(page_count(&pdf), 1);
        let text = String::from_utf8_lossy(&pdf);
        assert!(text.contains("/BaseFont /STSong-Light /Encoding /UniGB-UCS2-H"));
        // 电子发票 = U+7535 U+5B50 U+53D1 U+7968
        assert!(text.contains("<75355B5053D17968"));
    }

    #[test]
    fn many_lines_spill_onto_further_pages() {
        let lines: Vec<String> = (0..100).map(|i| format!("第{i}行 line {i}")).collect();
        let pdf = render_fapiao_pdf("发票", &lines);
        assert_eq!(page_count(&pdf), 3);
        assert_eq!(check_xref(&pdf), 5 + 2 * 3);
        assert!(pdf.ends_with(b"%%EOF\n"));
    }

    #[test]
    fn long_lines_wrap_and_awkward_characters_stay_ucs2() {
        let long = "宽".repeat(100);
        assert_eq!(wrap_line(&long).len(), 3);
        assert_eq!(hex_text("a\n😀中"), "<0061003F003F4E2D>");
        let pdf = render_fapiao_pdf("", &[]);
        assert_eq!(page_count(&pdf), 1);
        check_xref(&pdf);
    }

    #[test]
    fn content_stream_lengths_match_their_streams() {
        let pdf = render_fapiao_pdf("标题", &["一".into(), "二".into()]);
        let text = String::from_utf8_lossy(&pdf).into_owned();
        let at = text.find("/Length ").unwrap() + "/Length ".len();
        let length: usize = text[at..].split(' ').next().unwrap().parse().unwrap();
        let body_start = text[at..].find("stream\n").unwrap() + at + "stream\n".len();
        assert_eq!(
            &text[body_start + length..body_start + length + 10],
            "\nendstream"
        );
    }
}
