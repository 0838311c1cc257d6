import type { Extensions } from '@tiptap/react';
import StarterKit from '@tiptap/starter-kit';
import { TableKit } from '@tiptap/extension-table';
import Image from '@tiptap/extension-image';

/**
 * The document model the library stores: StarterKit (headings 1–4, paragraphs, lists, code blocks,
 * quotes, rules, bold / italic / underline / strike / inline code / links, undo) + tables + images —
 * exactly the node and mark types the server accepts (LIBRARY_NODE_TYPES / LIBRARY_MARK_TYPES) and
 * turns into Word and PDF.
 */
export function libraryExtensions(): Extensions {
  return [
    StarterKit.configure({
      heading: { levels: [1, 2, 3, 4] },
      // A click in the editor places the caret; links open from the read-only view.
      link: { openOnClick: false, autolink: true, defaultProtocol: 'https' },
    }),
    TableKit.configure({ table: { resizable: false } }),
    // Pictures live in the document as data: URLs, so a version is frozen with its pictures.
    Image.configure({ allowBase64: true, inline: false }),
  ];
}
