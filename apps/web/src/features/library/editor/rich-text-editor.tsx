import { useEffect } from 'react';
import { EditorContent, useEditor, type JSONContent } from '@tiptap/react';
import { useTranslation } from 'react-i18next';
import { libraryExtensions } from './extensions';
import { EditorToolbar } from './editor-toolbar';
import './editor.css';

export interface RichTextEditorProps {
  /** The starting content: the stored ProseMirror JSON, or HTML (a .docx the server turned into HTML). Read once: remount (`key`) to load another. */
  content: JSONContent | string | null;
  /** Every change, as the JSON the server stores (also called once with the parsed starting content). */
  onChange?: (doc: JSONContent) => void;
  /** Shown only: no toolbar, no caret. */
  readOnly?: boolean;
  testId?: string;
}

/**
 * The library's rich-text editor (Tiptap on ProseMirror). Loaded on its own (`lazy-editor.tsx`): the
 * sign-in page must not download it.
 */
export default function RichTextEditor({ content, onChange, readOnly = false, testId = 'rich-text-editor' }: RichTextEditorProps) {
  const { t } = useTranslation();
  const editor = useEditor({
    extensions: libraryExtensions(),
    content: content ?? '',
    editable: !readOnly,
    immediatelyRender: true,
    shouldRerenderOnTransaction: false,
    editorProps: { attributes: { class: 'yw-editor-content', 'aria-label': t('library.editor.label'), 'data-testid': `${testId}-content` } },
    onUpdate: ({ editor: e }) => onChange?.(e.getJSON()),
  });
  // HTML from an import becomes JSON only in the editor: hand the parent the model it will save.
  useEffect(() => {
    if (editor && typeof content === 'string' && content !== '') {
      onChange?.(editor.getJSON());
    }
    // Only once, for the content the editor started with (the editor is made once).
  }, [editor]);
  useEffect(() => {
    editor?.setEditable(!readOnly);
  }, [editor, readOnly]);
  return (
    <div className={readOnly ? 'yw-editor yw-editor-readonly' : 'yw-editor'} data-testid={testId}>
      {!readOnly && editor && <EditorToolbar editor={editor} />}
      <EditorContent editor={editor} />
    </div>
  );
}
