import type { DocumentBlock } from '@yunwei/contracts/documents';
import type { Locale } from '@yunwei/contracts/i18n';

/*
 * The pictures of a document, as every renderer reads them: the bytes (checked to be the PNG or JPEG
 * the block says, since a renderer handed anything else would fail or write a broken file) and the size
 * they are printed at: CSS pixels at 100 %, scaled down to the room there is, never up.
 */

export type ImageBlock = Extract<DocumentBlock, { kind: 'image' }>;

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
const JPEG_SIGNATURE = Buffer.from([0xff, 0xd8, 0xff]);

/** The picture's bytes, or null when they are not a PNG or JPEG of the type the block names. */
export function imageBytes(block: ImageBlock): Buffer | null {
  const bytes = Buffer.from(block.data, 'base64');
  const signature = block.mime === 'image/png' ? PNG_SIGNATURE : JPEG_SIGNATURE;
  return bytes.length > signature.length && bytes.subarray(0, signature.length).equals(signature) ? bytes : null;
}

/**
 * The printed size in the renderer's unit: `perPixel` units per CSS pixel (0.75 pt; 1 for Word's
 * pixels), scaled down keeping the aspect ratio until it fits `maxWidth` × `maxHeight`.
 */
export function imageSize(block: Pick<ImageBlock, 'width' | 'height'>, perPixel: number, maxWidth: number, maxHeight: number): { width: number; height: number } {
  const width = block.width * perPixel;
  const height = block.height * perPixel;
  const scale = Math.min(1, maxWidth / width, Math.max(1, maxHeight) / height);
  return { width: width * scale, height: height * scale };
}

/** What stands where a picture cannot be read. */
export function unreadableImage(locale: Locale, caption: string | undefined): string {
  return locale === 'en' ? `[The picture cannot be shown${caption ? `: ${caption}` : ''}]` : `［图片无法显示${caption ? `：${caption}` : ''}］`;
}
