import { lazy, Suspense } from 'react';
import { Skeleton } from 'antd';
import type { RichTextEditorProps } from '../editor/rich-text-editor';

// Tiptap and ProseMirror are a few hundred KB: fetched with the first page that shows a document.
const RichTextEditor = lazy(() => import('../editor/rich-text-editor'));

/** The rich-text editor (or a read-only view of a document's body), loaded on demand. */
export function LazyEditor(props: RichTextEditorProps) {
  return (
    <Suspense fallback={<Skeleton active paragraph={{ rows: 6 }} />}>
      <RichTextEditor {...props} />
    </Suspense>
  );
}
