//! Cards as PNG: a palette where the colours are few, fast deflate, and the check that a
//! cached card is a whole PNG.

use super::{Frame, HEIGHT, WIDTH};
use resvg::tiny_skia::Pixmap;

/// An opaque card as a PNG, compressed the fast way (fdeflate). A card has few colours (a
/// few dozen: flat colours and the anti-aliased edges of text in two greys), so it is stored
/// losslessly as a palette of at most 256 colours and one byte a pixel, which is a third of
/// the data to compress and, measured on the benchmark's cards, 32 KB a card instead of the
/// 51 KB of zlib's default level on RGBA, in a tenth of the time. A card with more colours
/// is stored as RGB.
///
/// `frame` is what the card was drawn on: its rows that the card left as they were keep the
/// frame's palette indices, so that only the rows with the card's own text are looked up.
pub(super) fn encode_png(pixmap: &Pixmap, frame: Option<&Frame>) -> Result<Vec<u8>, String> {
    // Every card is drawn on an opaque background, so the premultiplied pixels are the
    // plain ones and the alpha channel can go.
    let (color, palette, data) = match Indexed::of(pixmap, frame) {
        Some(ix) => (png::ColorType::Indexed, Some(ix.palette), ix.indices),
        None => (
            png::ColorType::Rgb,
            None,
            pixmap
                .data()
                .chunks_exact(4)
                .flat_map(|p| [p[0], p[1], p[2]])
                .collect(),
        ),
    };
    let mut out = Vec::with_capacity(48 * 1024);
    let mut enc = png::Encoder::new(&mut out, pixmap.width(), pixmap.height());
    enc.set_color(color);
    enc.set_depth(png::BitDepth::Eight);
    if let Some(p) = palette {
        enc.set_palette(p);
    }
    enc.set_deflate_compression(png::DeflateCompression::FdeflateUltraFast);
    enc.set_filter(png::Filter::Adaptive);
    let mut w = enc.write_header().map_err(|e| e.to_string())?;
    w.write_image_data(&data).map_err(|e| e.to_string())?;
    w.finish().map_err(|e| e.to_string())?;
    Ok(out)
}

/// An image as a palette (RGB triples, in order of first appearance) and one index a pixel.
#[derive(Clone)]
pub(super) struct Indexed {
    /// An open-addressed table of 1,024 slots: (colour, index), an index of 256 for free.
    /// The colours are the pixels' four bytes as they are (all opaque).
    table: Vec<(u32, u16)>,
    palette: Vec<u8>,
    indices: Vec<u8>,
}

impl Indexed {
    /// The palette and indices of `pixmap`, or None when it has more than 256 colours.
    /// With a `frame` of the same size, the rows equal to the frame's keep its indices.
    pub(super) fn of(pixmap: &Pixmap, frame: Option<&Frame>) -> Option<Indexed> {
        let row = pixmap.width() as usize * 4;
        let rgba = pixmap.data();
        let base = frame.and_then(|f| {
            let same_size =
                f.pixmap.width() == pixmap.width() && f.pixmap.height() == pixmap.height();
            f.indexed
                .as_ref()
                .filter(|_| same_size)
                .map(|ix| (&f.pixmap, ix))
        });
        match base {
            Some((frame, ix)) => {
                let mut ix = ix.clone();
                for (y, (mine, theirs)) in rgba
                    .chunks_exact(row)
                    .zip(frame.data().chunks_exact(row))
                    .enumerate()
                {
                    if mine != theirs && !ix.map(mine, y * row / 4) {
                        return None;
                    }
                }
                Some(ix)
            }
            None => {
                let mut ix = Indexed {
                    table: vec![(0, 256); 1024],
                    palette: Vec::with_capacity(3 * 256),
                    indices: vec![0; rgba.len() / 4],
                };
                ix.map(rgba, 0).then_some(ix)
            }
        }
    }

    /// Looks up the pixels `rgba`, the first of which is pixel number `first`, adding their
    /// colours to the palette; false when they are more than 256.
    fn map(&mut self, rgba: &[u8], first: usize) -> bool {
        let Some(indices) = self.indices.get_mut(first..first + rgba.len() / 4) else {
            return false;
        };
        // Most pixels are the same colour as the one before (a flat background, bars).
        let mut last = (0u32, 256u16);
        for (p, out) in rgba.chunks_exact(4).zip(indices.iter_mut()) {
            let Ok(q) = <[u8; 4]>::try_from(p) else {
                continue;
            };
            let c = u32::from_ne_bytes(q);
            if c == last.0 && last.1 < 256 {
                *out = last.1 as u8;
                continue;
            }
            let mut slot = (c.wrapping_mul(0x9E37_79B1) >> 22) as usize;
            let index = loop {
                match self.table[slot] {
                    (_, 256) => {
                        let n = self.palette.len() / 3;
                        if n == 256 {
                            return false;
                        }
                        self.palette.extend_from_slice(&q[..3]);
                        self.table[slot] = (c, n as u16);
                        break n as u16;
                    }
                    (k, i) if k == c => break i,
                    _ => slot = (slot + 1) % 1024,
                }
            };
            last = (c, index);
            *out = index as u8;
        }
        true
    }
}

/// Whether `bytes` are a whole PNG of a card: the signature, an 8-bit RGB or palette header of
/// [`WIDTH`]×[`HEIGHT`], image data, every chunk's checksum right, and nothing after its end.
/// Cheap enough for every cached card of every build, unlike decoding it.
pub fn is_card_png(bytes: &[u8]) -> bool {
    let Some(mut rest) = bytes.strip_prefix(b"\x89PNG\r\n\x1a\n") else {
        return false;
    };
    let mut first = true;
    let mut data = false;
    while rest.len() >= 12 {
        let len = u32::from_be_bytes([rest[0], rest[1], rest[2], rest[3]]) as usize;
        let Some(chunk) = rest.get(4..8 + len) else {
            return false;
        };
        let Some(crc) = rest.get(8 + len..12 + len) else {
            return false;
        };
        if crc32fast::hash(chunk) != u32::from_be_bytes([crc[0], crc[1], crc[2], crc[3]]) {
            return false;
        }
        let (kind, body) = chunk.split_at(4);
        if first {
            let header_ok = kind == b"IHDR"
                && body.len() == 13
                && body[0..4] == WIDTH.to_be_bytes()
                && body[4..8] == HEIGHT.to_be_bytes()
                && body[8] == 8
                && matches!(body[9], 2 | 3);
            if !header_ok {
                return false;
            }
            first = false;
        }
        data |= kind == b"IDAT";
        rest = &rest[12 + len..];
        if kind == b"IEND" {
            return data && rest.is_empty();
        }
    }
    false
}

#[cfg(test)]
pub(super) mod tests {
    use super::*;

    /// The pixels of a PNG, as RGB.
    pub(crate) fn decode(png: &[u8]) -> Vec<u8> {
        let mut d = png::Decoder::new(std::io::Cursor::new(png));
        d.set_transformations(png::Transformations::EXPAND);
        let mut r = d.read_info().unwrap();
        let mut buf = vec![0; r.output_buffer_size().unwrap()];
        let info = r.next_frame(&mut buf).unwrap();
        assert_eq!(info.color_type, png::ColorType::Rgb);
        buf.truncate(info.buffer_size());
        buf
    }

    fn pixmap(colours: u32) -> Pixmap {
        let mut p = Pixmap::new(WIDTH, HEIGHT).unwrap();
        for (i, px) in p.data_mut().chunks_exact_mut(4).enumerate() {
            let c = (i as u32 / 7) % colours;
            px.copy_from_slice(&[(c * 37) as u8, (c >> 3) as u8, (c * 11 % 256) as u8, 255]);
        }
        p
    }

    #[test]
    fn cards_are_encoded_losslessly_with_a_palette_or_without() {
        for colours in [1, 67, 256, 257, 5000] {
            let p = pixmap(colours);
            let png = encode_png(&p, None).unwrap();
            assert!(is_card_png(&png), "{colours}");
            assert_eq!(png[25], if colours <= 256 { 3 } else { 2 }, "colour type");
            let rgb: Vec<u8> = p
                .data()
                .chunks_exact(4)
                .flat_map(|x| [x[0], x[1], x[2]])
                .collect();
            assert_eq!(decode(&png), rgb, "{colours} colours");
        }
    }

    #[test]
    fn a_card_drawn_on_a_frame_keeps_the_frames_indices_where_it_is_the_same() {
        let rgb = |p: &Pixmap| -> Vec<u8> {
            p.data()
                .chunks_exact(4)
                .flat_map(|x| [x[0], x[1], x[2]])
                .collect()
        };
        let base = pixmap(60);
        let frame = Frame {
            indexed: Indexed::of(&base, None),
            pixmap: base.clone(),
        };
        // A few rows changed, with colours the frame has and colours it has not.
        let mut card = base.clone();
        for (i, px) in card.data_mut()[4 * 1200 * 100..4 * 1200 * 140]
            .chunks_exact_mut(4)
            .enumerate()
        {
            px.copy_from_slice(&[(i % 90) as u8, 200, 7, 255]);
        }
        let png = encode_png(&card, Some(&frame)).unwrap();
        assert_eq!(png[25], 3, "a palette");
        assert_eq!(decode(&png), rgb(&card));
        // Too many colours for a palette together: RGB.
        for (i, px) in card.data_mut().chunks_exact_mut(4).take(300).enumerate() {
            px.copy_from_slice(&[(i % 256) as u8, (i / 256) as u8, 99, 255]);
        }
        let png = encode_png(&card, Some(&frame)).unwrap();
        assert_eq!(png[25], 2, "RGB");
        assert_eq!(decode(&png), rgb(&card));
    }

    #[test]
    fn broken_pngs_are_not_cards() {
        let png = encode_png(&pixmap(67), None).unwrap();
        assert!(is_card_png(&png));
        assert!(!is_card_png(&png[..png.len() - 1]));
        assert!(!is_card_png(&png[..png.len() / 2]));
        let mut flipped = png.clone();
        let mid = flipped.len() / 2;
        flipped[mid] ^= 1;
        assert!(!is_card_png(&flipped));
        let mut longer = png.clone();
        longer.push(0);
        assert!(!is_card_png(&longer));
        assert!(!is_card_png(b""));
        let small = Pixmap::new(10, 10).unwrap();
        assert!(!is_card_png(&encode_png(&small, None).unwrap()));
    }
}
