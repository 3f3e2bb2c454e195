//! Cards as PNG: a palette where the colours are few, fast deflate, and the check that a
//! cached card is a whole PNG.

use super::deflate::{Piece, Stream};
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
    write(
        pixmap.width(),
        pixmap.height(),
        color,
        palette,
        &data,
        png::Filter::Adaptive,
    )
}

/// The rows of a frame's indices, Paeth-filtered (each with its filter byte), once for all
/// the cards drawn on it: a card's row that is the frame's, with the row above it, filters
/// to the same bytes. And each band of [`BAND`] rows compressed, for the cards that leave
/// the whole band as the frame has it.
#[derive(Clone)]
pub(super) struct FrameRows {
    filtered: Vec<u8>,
    width: usize,
    bands: Vec<Piece>,
}

/// Rows in a band compressed once per frame ([`FrameRows`]): fewer, and a card's text leaves
/// more of them to the frame; more, and each costs less to lay into a card's stream.
const BAND: usize = 8;

impl FrameRows {
    pub(super) fn of(indices: &[u8], width: usize) -> FrameRows {
        let mut filtered = vec![0; indices.len() / width.max(1) * (width + 1)];
        let zero = vec![0; width];
        let mut above: &[u8] = &zero;
        for (row, out) in indices
            .chunks_exact(width)
            .zip(filtered.chunks_exact_mut(width + 1))
        {
            paeth_row(row, above, out);
            above = row;
        }
        let bands = filtered.chunks(BAND * (width + 1)).map(Piece::of).collect();
        FrameRows {
            filtered,
            width,
            bands,
        }
    }
}

/// A card drawn as `indices` into the palette of `indexed` on the frame whose rows are
/// `frame`, as a PNG. `touched` says which rows the card drew on; the others, with the row
/// above them, are the frame's, already filtered, and a band of them is laid in as the frame
/// compressed it. The rows are compressed as fdeflate's fast mode does (`deflate.rs`), and
/// the chunks written here: a signature, IHDR, PLTE, one IDAT, IEND.
pub(super) fn encode_card(
    indexed: &Indexed,
    indices: &[u8],
    touched: &[bool],
    frame: &FrameRows,
) -> Result<Vec<u8>, String> {
    let width = frame.width;
    let height = indices.len() / width.max(1);
    if frame.filtered.len() != height * (width + 1) || touched.len() != height {
        return Err("a card that is not the size of its frame".into());
    }
    let mut z = Stream::new(48 * 1024);
    // The rows compressed now are gathered, so that a run of zeros goes on across them.
    let mut live: Vec<u8> = Vec::with_capacity(64 * (width + 1));
    let zero = vec![0; width];
    let mut row_buf = vec![0; width + 1];
    let own = |y: usize| touched[y] || y > 0 && touched[y - 1];
    for (band, piece) in frame.bands.iter().enumerate() {
        let rows = band * BAND..((band + 1) * BAND).min(height);
        if !rows.clone().any(own) {
            z.bytes(&live);
            live.clear();
            z.piece(piece);
            continue;
        }
        for y in rows {
            if own(y) {
                let above = if y == 0 {
                    &zero[..]
                } else {
                    &indices[(y - 1) * width..y * width]
                };
                paeth_row(&indices[y * width..(y + 1) * width], above, &mut row_buf);
                live.extend_from_slice(&row_buf);
            } else {
                live.extend_from_slice(&frame.filtered[y * (width + 1)..(y + 1) * (width + 1)]);
            }
        }
    }
    z.bytes(&live);
    let data = z.finish();
    let mut out = Vec::with_capacity(data.len() + indexed.palette.len() + 64);
    out.extend_from_slice(b"\x89PNG\r\n\x1a\n");
    let mut ihdr = Vec::with_capacity(13);
    ihdr.extend_from_slice(&(width as u32).to_be_bytes());
    ihdr.extend_from_slice(&(height as u32).to_be_bytes());
    ihdr.extend_from_slice(&[8, 3, 0, 0, 0]); // 8 bits, a palette, deflate, no interlace
    chunk(&mut out, b"IHDR", &ihdr);
    chunk(&mut out, b"PLTE", &indexed.palette);
    chunk(&mut out, b"IDAT", &data);
    chunk(&mut out, b"IEND", &[]);
    Ok(out)
}

/// A PNG chunk: length, kind, data, checksum of kind and data.
fn chunk(out: &mut Vec<u8>, kind: &[u8; 4], data: &[u8]) {
    out.extend_from_slice(&(data.len() as u32).to_be_bytes());
    let start = out.len();
    out.extend_from_slice(kind);
    out.extend_from_slice(data);
    let crc = crc32fast::hash(&out[start..]);
    out.extend_from_slice(&crc.to_be_bytes());
}

/// One row Paeth-filtered, one byte a pixel: its filter byte (4), then each byte less the
/// prediction from its left (a), above (b) and upper left (c) neighbours.
fn paeth_row(row: &[u8], above: &[u8], out: &mut [u8]) {
    out[0] = 4;
    let out = &mut out[1..];
    out[0] = row[0].wrapping_sub(paeth(0, above[0], 0));
    let n = row.len();
    for ((((o, &x), &a), &b), &c) in out[1..]
        .iter_mut()
        .zip(&row[1..])
        .zip(&row[..n - 1])
        .zip(&above[1..])
        .zip(&above[..n - 1])
    {
        *o = x.wrapping_sub(paeth(a, b, c));
    }
}

/// The Paeth predictor in unsigned bytes only, which the compiler vectorises: the form of
/// FPNGE (Luca Versari), as the png crate has it. pa = |b - c|, pb = |a - c|, and pc =
/// |pa - pb| when c lies between a and b, else larger than both.
fn paeth(a: u8, b: u8, c: u8) -> u8 {
    let pa = b.max(c) - c.min(b);
    let pb = a.max(c) - c.min(a);
    let pc = if (a < c) == (c < b) {
        pa.max(pb) - pa.min(pb)
    } else {
        255
    };
    if pa <= pb && pa <= pc {
        a
    } else if pb <= pc {
        b
    } else {
        c
    }
}

fn write(
    width: u32,
    height: u32,
    color: png::ColorType,
    palette: Option<Vec<u8>>,
    data: &[u8],
    filter: png::Filter,
) -> Result<Vec<u8>, String> {
    let mut out = Vec::with_capacity(48 * 1024);
    let mut enc = png::Encoder::new(&mut out, width, height);
    enc.set_color(color);
    enc.set_depth(png::BitDepth::Eight);
    if let Some(p) = palette {
        enc.set_palette(p);
    }
    enc.set_deflate_compression(png::DeflateCompression::FdeflateUltraFast);
    enc.set_filter(filter);
    let mut w = enc.write_header().map_err(|e| e.to_string())?;
    w.write_image_data(data).map_err(|e| e.to_string())?;
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
                // A row like the one above it (a chart's margins, a bar's height) takes its
                // indices: it has no colour the palette lacks.
                let width = row / 4;
                let mut above: Option<&[u8]> = None;
                for (y, mine) in rgba.chunks_exact(row.max(4)).enumerate() {
                    let at = y * width;
                    if above == Some(mine) {
                        ix.indices.copy_within(at - width..at, at);
                    } else if !ix.map(mine, at) {
                        return None;
                    }
                    above = Some(mine);
                }
                Some(ix)
            }
        }
    }

    /// The palette entry of an opaque colour, if it has one.
    pub(super) fn index_of(&self, rgb: [u8; 3]) -> Option<u8> {
        probe(&self.table, opaque(rgb)).ok().map(|i| i as u8)
    }

    /// The palette entry of an opaque colour, added when it has none; None when the palette
    /// is full.
    pub(super) fn add(&mut self, rgb: [u8; 3]) -> Option<u8> {
        entry(&mut self.table, &mut self.palette, opaque(rgb), rgb).map(|i| i as u8)
    }

    /// The same image with the opaque colour `rgb` as palette entry 0 (swapped with the
    /// entry there), so that a card's white background is runs of zeros, which deflate
    /// compresses fastest; None when the image lacks the colour.
    pub(super) fn with_first(&self, rgb: [u8; 3]) -> Option<Indexed> {
        let w = self.index_of(rgb)?;
        let mut ix = self.clone();
        if w == 0 {
            return Some(ix);
        }
        let at = 3 * usize::from(w);
        for k in 0..3 {
            ix.palette.swap(k, at + k);
        }
        let swap = |i: u8| match i {
            0 => w,
            i if i == w => 0,
            i => i,
        };
        for e in ix.table.iter_mut().filter(|e| e.1 < 256) {
            e.1 = u16::from(swap(e.1 as u8));
        }
        for i in ix.indices.iter_mut() {
            *i = swap(*i);
        }
        Some(ix)
    }

    /// The image's indices, one a pixel.
    pub(super) fn indices(&self) -> &[u8] {
        &self.indices
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
            let Some(index) = entry(&mut self.table, &mut self.palette, c, [q[0], q[1], q[2]])
            else {
                return false;
            };
            last = (c, index);
            *out = index as u8;
        }
        true
    }
}

/// Where colour `c` is in the table: its index, or the free slot where it would go.
fn probe(table: &[(u32, u16)], c: u32) -> Result<u16, usize> {
    let mut slot = (c.wrapping_mul(0x9E37_79B1) >> 22) as usize;
    loop {
        match table[slot] {
            (_, 256) => return Err(slot),
            (k, i) if k == c => return Ok(i),
            _ => slot = (slot + 1) % 1024,
        }
    }
}

/// The index of colour `c` (the pixel `rgb`), added to the palette when new; None when
/// the palette is full.
fn entry(table: &mut [(u32, u16)], palette: &mut Vec<u8>, c: u32, rgb: [u8; 3]) -> Option<u16> {
    match probe(table, c) {
        Ok(i) => Some(i),
        Err(slot) => {
            let n = palette.len() / 3;
            if n == 256 {
                return None;
            }
            palette.extend_from_slice(&rgb);
            table[slot] = (c, n as u16);
            Some(n as u16)
        }
    }
}

/// The table's key of an opaque colour: its pixel's four bytes.
fn opaque(rgb: [u8; 3]) -> u32 {
    u32::from_ne_bytes([rgb[0], rgb[1], rgb[2], 255])
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
            id: 0,
            indexed: Indexed::of(&base, None),
            pixmap: base.clone(),
            inks: None,
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

    /// Putting white first changes the palette's order and not the picture; colours are
    /// added once, and not past 256.
    #[test]
    fn white_first_keeps_the_picture_and_the_palette_takes_256_colours() {
        let p = pixmap(67);
        let mut white = p.clone();
        white.data_mut()[4 * 5000..4 * 5001].copy_from_slice(&[255, 255, 255, 255]);
        let ix = Indexed::of(&white, None).unwrap();
        let first = ix.with_first([255, 255, 255]).unwrap();
        assert_eq!(&first.palette[..3], &[255, 255, 255]);
        assert_eq!(first.indices[5000], 0);
        let rgb = |ix: &Indexed| -> Vec<u8> {
            ix.indices
                .iter()
                .flat_map(|&i| ix.palette[3 * usize::from(i)..3 * usize::from(i) + 3].to_vec())
                .collect()
        };
        assert_eq!(rgb(&first), rgb(&ix));
        assert_eq!(first.index_of([255, 255, 255]), Some(0));
        let moved = &ix.palette[..3];
        assert_eq!(
            first.index_of([moved[0], moved[1], moved[2]]),
            ix.index_of([255, 255, 255])
        );
        assert!(ix.with_first([1, 2, 3]).is_none());
        let mut full = first.clone();
        let n = full.palette.len() / 3;
        assert_eq!(full.add([255, 255, 255]), Some(0), "there already");
        for k in n..256 {
            assert_eq!(full.add([k as u8, 7, 250]), Some(k as u8));
        }
        assert_eq!(full.add([1, 2, 3]), None, "257 colours");
        assert_eq!(full.palette.len(), 3 * 256);
    }

    /// Rows like the ones above them take their indices; a row that differs is looked up.
    #[test]
    fn repeated_rows_take_the_indices_of_the_row_above() {
        let mut p = Pixmap::new(3, 5).unwrap();
        p.fill(resvg::tiny_skia::Color::WHITE);
        let red = resvg::tiny_skia::ColorU8::from_rgba(200, 0, 0, 255).premultiply();
        let blue = resvg::tiny_skia::ColorU8::from_rgba(0, 0, 200, 255).premultiply();
        let pixels = p.pixels_mut();
        for x in 0..3 {
            pixels[3 + x] = red;
            pixels[6 + x] = red;
        }
        pixels[13] = blue;
        let ix = Indexed::of(&p, None).unwrap();
        assert_eq!(ix.indices, [0, 0, 0, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 2, 0]);
        assert_eq!(ix.palette, [255, 255, 255, 200, 0, 0, 0, 0, 200]);
    }

    /// A card encoded from its frame's rows where it left them alone decodes to exactly its
    /// indices' colours, whichever rows it drew on.
    #[test]
    fn a_card_encoded_on_its_frames_rows_is_the_card() {
        let base = pixmap(60);
        let frame = Indexed::of(&base, None).unwrap();
        let rows = FrameRows::of(&frame.indices, WIDTH as usize);
        let colours = |ix: &Indexed, indices: &[u8]| -> Vec<u8> {
            indices
                .iter()
                .flat_map(|&i| ix.palette[3 * usize::from(i)..3 * usize::from(i) + 3].to_vec())
                .collect()
        };
        for drawn in [vec![], vec![0, 1, 2], vec![100, 101, 300], vec![629]] {
            let mut card = frame.indices.clone();
            let mut touched = vec![false; HEIGHT as usize];
            for &y in &drawn {
                touched[y] = true;
                for (x, i) in card[y * 1200..(y + 1) * 1200].iter_mut().enumerate() {
                    *i = ((x * 7 + y) % 60) as u8;
                }
            }
            let png = encode_card(&frame, &card, &touched, &rows).unwrap();
            assert!(is_card_png(&png), "{drawn:?}");
            assert_eq!(png[25], 3, "a palette");
            assert_eq!(decode(&png), colours(&frame, &card), "{drawn:?}");
        }
        // Rows drawn on but not said to be: the frame's rows are what is encoded.
        let mut card = frame.indices.clone();
        card[5 * 1200] ^= 1;
        let png = encode_card(&frame, &card, &vec![false; 630], &rows).unwrap();
        assert_eq!(decode(&png), colours(&frame, &frame.indices));
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
