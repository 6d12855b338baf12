//! Colour emoji where a sequence asks for them: `❤️` (U+2764 with the emoji presentation
//! selector VS16), `✈️`, keycaps (`1️⃣`).
//!
//! egui 0.37 picks a cluster's font by its first char alone (`Family::resolve_cluster`
//! caches the face per base char), so `❤`, `✈` and `1` come from the text font that has
//! them, VS16 and U+20E3 are dropped, and a text glyph is drawn while a colour emoji font
//! is installed. Reordering the fonts cannot fix that (the colour font has the digits
//! too). egui's one hook that sees whole clusters before any font is a priority
//! [`GlyphRasterizer`]: [`ColorEmoji`] is one. For a cluster with an explicit emoji
//! request (VS16 or a keycap, not VS15) it shapes the cluster with the colour font
//! (harfrust, as egui shapes) and paints its glyphs with vello_cpu (as egui paints colour
//! glyphs); anything the font cannot draw in colour is left to egui.

use std::sync::{Arc, OnceLock};

use eframe::egui::{
    self, Color32, ColorImage,
    epaint::text::{
        FontData, FontPriority, GlyphBitmap, GlyphRasterizer, GlyphRasterizerRequest,
        RasterizedGlyph,
    },
};
use skrifa::MetadataProvider as _;

/// The emoji presentation selector (VS16).
const VS16: char = '\u{FE0F}';
/// The text presentation selector (VS15).
const VS15: char = '\u{FE0E}';
/// COMBINING ENCLOSING KEYCAP.
const KEYCAP: char = '\u{20E3}';

/// Whether a grapheme cluster asks for emoji presentation explicitly: it holds VS16 or
/// a keycap, and no VS15. (Clusters that are emoji by default, 😀, already reach the
/// colour font through egui's fallback, as no text font has them.)
pub fn asks_for_emoji(cluster: &str) -> bool {
    !cluster.is_ascii()
        && !cluster.contains(VS15)
        && cluster.chars().any(|c| c == VS16 || c == KEYCAP)
}

/// Draws the clusters that ask for emoji presentation from a colour emoji font.
pub struct ColorEmoji {
    font: FontData,
    shaper: harfrust::ShaperData,
}

impl ColorEmoji {
    /// From a colour emoji font file (CBDT, sbix or COLR); `None` if it does not parse.
    pub fn new(font: FontData) -> Option<Self> {
        let shaper = {
            let face = skrifa::FontRef::from_index(font.bytes(), font.index).ok()?;
            harfrust::ShaperData::new(&face)
        };
        Some(Self { font, shaper })
    }

    /// The system's colour emoji font: the first font of the generic `emoji` family
    /// (fontconfig's, through fontique, as egui's system font provider finds fonts)
    /// that draws ❤️ in colour. Not the provider's answer for 😀: that asks the
    /// sans-serif family first, and DejaVu Sans has a text 😀.
    pub fn from_system() -> Option<Self> {
        use fontique::{Collection, CollectionOptions, GenericFamily, QueryFamily, QueryStatus};
        let mut collection = Collection::new(CollectionOptions {
            shared: false,
            system_fonts: true,
        });
        let mut cache = fontique::SourceCache::new(fontique::SourceCacheOptions::default());
        let mut query = collection.query(&mut cache);
        query.set_families([QueryFamily::Generic(GenericFamily::Emoji)]);
        let mut found = None;
        query.matches_with(|font| {
            let (blob, _) = font.blob.clone().into_raw_parts();
            let emoji = Self::new(FontData::from_blob(blob, font.index));
            match emoji.filter(|e| e.rasterize("\u{2764}\u{FE0F}", 16.0).is_some()) {
                Some(e) => {
                    found = Some(e);
                    QueryStatus::Stop
                }
                None => QueryStatus::Continue,
            }
        });
        found
    }

    /// The cluster as a colour glyph at `size_px` (physical pixels), or `None` when it
    /// does not ask for emoji presentation or the font cannot draw it in colour as one
    /// emoji.
    pub fn rasterize(&self, cluster: &str, size_px: f32) -> Option<RasterizedGlyph> {
        if !asks_for_emoji(cluster) || !size_px.is_finite() || size_px <= 0.0 {
            return None;
        }
        let face = skrifa::FontRef::from_index(self.font.bytes(), self.font.index).ok()?;
        let shaper = self.shaper.shaper(&face).build();
        let mut buffer = harfrust::UnicodeBuffer::new();
        buffer.push_str(cluster);
        buffer.guess_segment_properties();
        let shaped = shaper.shape(buffer, harfrust::ShapeOptions::new());
        let upem = f32::from(
            face.metrics(
                skrifa::instance::Size::unscaled(),
                skrifa::instance::LocationRef::default(),
            )
            .units_per_em,
        );
        if upem <= 0.0 {
            return None;
        }
        let scale = size_px / upem;
        let size = skrifa::instance::Size::new(size_px);
        // Glyphs at their pen positions; the selector may shape to a blank glyph.
        let mut glyphs = Vec::new();
        let mut pen = 0.0f32;
        let mut colour = false;
        for (info, pos) in shaped.glyph_infos().iter().zip(shaped.glyph_positions()) {
            if info.glyph_id == 0 {
                return None; // .notdef: the font lacks part of it
            }
            let id = skrifa::GlyphId::new(info.glyph_id);
            colour |= face.color_glyphs().get(id).is_some()
                || face.bitmap_strikes().glyph_for_size(size, id).is_some();
            glyphs.push((info.glyph_id, pen + pos.x_offset as f32 * scale));
            pen += pos.x_advance as f32 * scale;
        }
        if !colour || pen <= 0.0 {
            return None;
        }
        let bitmap = self.paint(&glyphs, size_px)?;
        Some(RasterizedGlyph {
            bitmap,
            advance_px: pen,
        })
    }

    /// Paints glyphs (id, x from the origin) onto a canvas with an em of room around
    /// them, cropped to what was painted; offsets from the origin on the baseline, as
    /// epaint's own colour glyphs.
    fn paint(&self, glyphs: &[(u32, f32)], size_px: f32) -> Option<GlyphBitmap> {
        use vello_cpu::{color, peniko};
        let width_em = glyphs.last().map_or(0.0, |g| g.1) / size_px + 3.0;
        let max = egui::epaint::text::MAX_GLYPH_SIZE as f32;
        let width = (width_em * size_px).ceil().clamp(1.0, max) as u16;
        let height = (3.0 * size_px).ceil().clamp(1.0, max) as u16;
        let (origin_x, origin_y) = (size_px, 2.0 * size_px);
        let font = peniko::FontData::new(
            peniko::Blob::new(Arc::clone(&self.font.font)),
            self.font.index,
        );
        let mut ctx = vello_cpu::RenderContext::new(width, height);
        let mut resources = vello_cpu::Resources::new();
        ctx.set_paint(color::OpaqueColor::<color::Srgb>::WHITE);
        ctx.glyph_run(&mut resources, &font)
            .font_size(size_px)
            .hint(false)
            .fill_glyphs(glyphs.iter().map(|&(id, x)| vello_cpu::Glyph {
                id,
                x: origin_x + x,
                y: origin_y,
            }));
        let mut pixmap = vello_cpu::Pixmap::new(width, height);
        ctx.render(&mut pixmap, &mut resources);
        let (w, h) = (usize::from(width), usize::from(height));
        let pixels = pixmap.data_as_u8_slice();
        let alpha = |x: usize, y: usize| pixels[4 * (y * w + x) + 3];
        let (mut lo, mut hi) = ([w, h], [0, 0]);
        for y in 0..h {
            for x in 0..w {
                if alpha(x, y) != 0 {
                    lo = [lo[0].min(x), lo[1].min(y)];
                    hi = [hi[0].max(x + 1), hi[1].max(y + 1)];
                }
            }
        }
        if hi[0] <= lo[0] || hi[1] <= lo[1] {
            return None;
        }
        let cropped: Vec<Color32> = (lo[1]..hi[1])
            .flat_map(|y| (lo[0]..hi[0]).map(move |x| 4 * (y * w + x)))
            // vello_cpu's pixmap holds premultiplied RGBA8.
            .map(|i| {
                Color32::from_rgba_premultiplied(
                    pixels[i],
                    pixels[i + 1],
                    pixels[i + 2],
                    pixels[i + 3],
                )
            })
            .collect();
        Some(GlyphBitmap {
            image: ColorImage::new([hi[0] - lo[0], hi[1] - lo[1]], cropped),
            offset_px: egui::vec2(lo[0] as f32 - origin_x, lo[1] as f32 - origin_y),
            is_color: true,
        })
    }

    /// This font as egui's priority rasterizer for clusters that ask for emoji.
    pub fn rasterizer(self) -> GlyphRasterizer {
        GlyphRasterizer::new(
            "spanmark::ColorEmoji",
            move |r: &GlyphRasterizerRequest<'_>| self.rasterize(r.cluster, r.font_size_px),
        )
        .with_priority(FontPriority::Highest)
    }
}

/// Installs the system's colour emoji font as `ctx`'s priority rasterizer for clusters
/// that ask for emoji presentation. The font is looked up through fontconfig (fontique,
/// as egui's system font provider) at the first such cluster, so neither startup nor a text
/// without one pays for listing the system's fonts.
pub fn install_system(ctx: &egui::Context) {
    let font: OnceLock<Option<ColorEmoji>> = OnceLock::new();
    ctx.add_glyph_rasterizer(
        GlyphRasterizer::new(
            "spanmark::ColorEmoji",
            move |r: &GlyphRasterizerRequest<'_>| {
                if !asks_for_emoji(r.cluster) {
                    return None;
                }
                font.get_or_init(ColorEmoji::from_system)
                    .as_ref()?
                    .rasterize(r.cluster, r.font_size_px)
            },
        )
        .with_priority(FontPriority::Highest),
    );
}

#[cfg(test)]
mod tests {
    use super::*;
    use eframe::egui::epaint::text::{FontDefinitions, FontFamily, FontId, Fonts, TextOptions};

    fn test_font(name: &str) -> FontData {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fonts")
            .join(name);
        FontData::from_owned(std::fs::read(path).expect("test font"))
    }

    /// DejaVu (which has ❤, ✈ and the digits as text glyphs), then the colour emoji
    /// subset: egui's own fallback order.
    fn fonts() -> Fonts {
        let mut defs = FontDefinitions::empty();
        let names = ["DejaVuSans.ttf", "NotoColorEmoji-subset.ttf"];
        for n in names {
            defs.font_data.insert(n.to_owned(), Arc::new(test_font(n)));
        }
        defs.families.insert(
            FontFamily::Proportional,
            names.iter().map(|n| (*n).to_owned()).collect(),
        );
        Fonts::new(TextOptions::default(), defs)
    }

    /// Whether the first glyph of `text` is drawn in colour: its pixels in the glyph
    /// atlas are coloured, not the white coverage of a text glyph.
    fn in_colour(fonts: &mut Fonts, text: &str) -> bool {
        let galley = fonts.with_pixels_per_point(1.0).layout_no_wrap(
            text.to_owned(),
            FontId::proportional(32.0),
            Color32::WHITE,
        );
        let uv = galley.rows[0].glyphs[0].uv_rect;
        assert!(!uv.is_nothing(), "{text:?} drew nothing");
        let image = fonts.image();
        let mut coloured = 0;
        for y in uv.min[1]..uv.max[1] {
            for x in uv.min[0]..uv.max[0] {
                let p = image.pixels[usize::from(y) * image.size[0] + usize::from(x)];
                let (r, g, b) = (i32::from(p.r()), i32::from(p.g()), i32::from(p.b()));
                if (r - g).abs() > 40 || (g - b).abs() > 40 {
                    coloured += 1;
                }
            }
        }
        coloured > 20
    }

    /// Issue 20: `❤️`, `✈️` and `1️⃣` were drawn as DejaVu's text glyphs; with the
    /// rasterizer they come from the colour font, and a plain ❤ or 1 stays text.
    #[test]
    fn emoji_presentation_selects_the_colour_font() {
        let mut plain = fonts();
        assert!(
            !in_colour(&mut plain, "\u{2764}\u{FE0F}"),
            "egui alone draws text"
        );
        assert!(!in_colour(&mut plain, "1\u{FE0F}\u{20E3}"));
        let mut fonts = fonts();
        let emoji = ColorEmoji::new(test_font("NotoColorEmoji-subset.ttf")).expect("parses");
        fonts.add_glyph_rasterizer(emoji.rasterizer());
        assert!(in_colour(&mut fonts, "\u{2764}\u{FE0F}"), "❤️");
        assert!(in_colour(&mut fonts, "1\u{FE0F}\u{20E3}"), "1️⃣");
        assert!(in_colour(&mut fonts, "#\u{FE0F}\u{20E3}"), "#️⃣");
        assert!(
            !in_colour(&mut fonts, "\u{2764}"),
            "a plain heart stays text"
        );
        assert!(!in_colour(&mut fonts, "1"));
        assert!(
            !in_colour(&mut fonts, "\u{263A}\u{FE0E}"),
            "VS15 asks for text"
        );
        // A keycap is one glyph as wide as an emoji, not a digit and two blanks.
        let galley = fonts.with_pixels_per_point(1.0).layout_no_wrap(
            "1\u{FE0F}\u{20E3}".to_owned(),
            FontId::proportional(32.0),
            Color32::WHITE,
        );
        let glyphs = &galley.rows[0].glyphs;
        assert_eq!(glyphs.len(), 3);
        assert!(
            glyphs[0].advance_width > 20.0,
            "{}",
            glyphs[0].advance_width
        );
        assert_eq!(glyphs[1].advance_width + glyphs[2].advance_width, 0.0);
    }

    #[test]
    fn which_clusters_ask_for_emoji() {
        for yes in ["❤\u{FE0F}", "✈\u{FE0F}", "1\u{FE0F}\u{20E3}", "#\u{20E3}"] {
            assert!(asks_for_emoji(yes), "{yes:?}");
        }
        for no in ["❤", "1", "a", "☺\u{FE0E}", "😀", "❤\u{FE0E}\u{FE0F}"] {
            assert!(!asks_for_emoji(no), "{no:?}");
        }
    }
}
