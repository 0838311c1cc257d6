import { useEffect } from 'react';
import { Button, Dropdown, type MenuProps } from 'antd';
import { DatabaseOutlined } from '@ant-design/icons';
import { EditorContent, useEditor, type Editor, type JSONContent } from '@tiptap/react';
import { useTranslation } from 'react-i18next';
import { libraryExtensions } from '../editor/extensions';
import { EditorToolbar } from '../editor/editor-toolbar';
import { useLibraryProviders } from './use-templates';
import '../editor/editor.css';

export interface TemplateEditorProps {
  content: JSONContent | null;
  onChange: (doc: JSONContent) => void;
}

/**
 * The library's editor (same extensions and toolbar as a document's) with 插入数据: a provider's whole
 * section goes in as a paragraph of its own (`{{alerts.summary}}`), a field at the caret (`{{alerts.summary.count}}`).
 */
export default function TemplateEditor({ content, onChange }: TemplateEditorProps) {
  const { t } = useTranslation();
  const editor = useEditor({
    extensions: libraryExtensions(),
    content: content ?? '',
    immediatelyRender: true,
    shouldRerenderOnTransaction: false,
    editorProps: { attributes: { class: 'yw-editor-content', 'aria-label': t('library.editor.label'), 'data-testid': 'template-editor-content' } },
    onUpdate: ({ editor: e }) => onChange(e.getJSON()),
  });
  useEffect(() => {
    if (editor) {
      onChange(editor.getJSON());
    }
    // Once: the parent starts from what the editor parsed.
  }, [editor]);
  return (
    <div className="yw-editor" data-testid="template-editor">
      {editor && (
        <>
          <EditorToolbar editor={editor} />
          <InsertData editor={editor} />
        </>
      )}
      <EditorContent editor={editor} />
    </div>
  );
}

function InsertData({ editor }: { editor: Editor }) {
  const { t } = useTranslation();
  const providers = useLibraryProviders();
  const insertSection = (name: string) => editor.chain().focus().insertContent([{ type: 'paragraph', content: [{ type: 'text', text: `{{${name}}}` }] }]).run();
  const insertField = (ref: string) => editor.chain().focus().insertContent(`{{${ref}}}`).run();
  // One level, grouped by provider (nested pop-ups close under the pointer on the way to a field).
  const items: MenuProps['items'] = (providers.data ?? []).map((p) => ({
    type: 'group',
    key: p.name,
    label: `${p.title}（${p.name}）`,
    children: [
      { key: `${p.name}#section`, label: t('libraryTemplates.insert.section'), onClick: () => insertSection(p.name), 'data-testid': `insert-${p.name}` },
      ...p.fields.map((f) => ({ key: `${p.name}.${f.key}`, label: `${f.title}（${f.key}）`, onClick: () => insertField(`${p.name}.${f.key}`), 'data-testid': `insert-${p.name}.${f.key}` })),
    ],
  }));
  return (
    <div style={{ padding: '4px 8px' }}>
      <Dropdown menu={{ items, style: { maxHeight: 420, overflowY: 'auto' } }} trigger={['click']}>
        <Button size="small" icon={<DatabaseOutlined />} loading={providers.isLoading} data-testid="template-insert-data">
          {t('libraryTemplates.insert.button')}
        </Button>
      </Dropdown>
    </div>
  );
}
