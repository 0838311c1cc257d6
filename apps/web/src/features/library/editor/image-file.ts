/** Pictures the editor accepts (what Word and the PDF renderer take), and their size limit. */
export const IMAGE_TYPES = ['image/png', 'image/jpeg'] as const;
export const IMAGE_MAX_BYTES = 1024 * 1024;

export type ImageCheck = { ok: true; src: string; width: number; height: number } | { ok: false; reason: 'type' | 'size' | 'unreadable' };

function readAsDataUrl(file: Blob): Promise<string> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(String(reader.result));
    reader.onerror = () => reject(reader.error ?? new Error('unreadable'));
    reader.readAsDataURL(file);
  });
}

function naturalSize(src: string): Promise<{ width: number; height: number }> {
  return new Promise((resolve, reject) => {
    const img = new window.Image();
    img.onload = () => resolve({ width: img.naturalWidth, height: img.naturalHeight });
    img.onerror = () => reject(new Error('unreadable'));
    img.src = src;
  });
}

/** A picked file as a data: URL with its size in pixels, or why it cannot go into a document. */
export async function readImageFile(file: File): Promise<ImageCheck> {
  if (!(IMAGE_TYPES as readonly string[]).includes(file.type)) {
    return { ok: false, reason: 'type' };
  }
  if (file.size > IMAGE_MAX_BYTES) {
    return { ok: false, reason: 'size' };
  }
  try {
    const src = await readAsDataUrl(file);
    const { width, height } = await naturalSize(src);
    return { ok: true, src, width, height };
  } catch {
    return { ok: false, reason: 'unreadable' };
  }
}
