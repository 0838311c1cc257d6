import { useRef, type ReactNode } from 'react';
import { App, Button, Divider, Dropdown, Flex, Tooltip } from 'antd';
import {
  BoldOutlined,
  CodeOutlined,
  ItalicOutlined,
  OrderedListOutlined,
  PictureOutlined,
  RedoOutlined,
  StrikethroughOutlined,
  TableOutlined,
  UnderlineOutlined,
  UndoOutlined,
  UnorderedListOutlined,
} from '@ant-design/icons';
import { useEditorState, type Editor } from '@tiptap/react';
import { useTranslation } from 'react-i18next';
import { IMAGE_TYPES, readImageFile } from './image-file';

type Level = 1 | 2 | 3;

/** What the buttons show, read once per editor change (a toolbar re-renders only when these change). */
function useToolbarState(editor: Editor) {
  return useEditorState({
    editor,
    selector: ({ editor: e }) => ({
      h1: e.isActive('heading', { level: 1 }),
      h2: e.isActive('heading', { level: 2 }),
      h3: e.isActive('heading', { level: 3 }),
      bold: e.isActive('bold'),
      italic: e.isActive('italic'),
      underline: e.isActive('underline'),
      strike: e.isActive('strike'),
      code: e.isActive('code'),
      bulletList: e.isActive('bulletList'),
      orderedList: e.isActive('orderedList'),
      codeBlock: e.isActive('codeBlock'),
      inTable: e.isActive('table'),
      canUndo: e.can().undo(),
      canRedo: e.can().redo(),
    }),
  });
}

function ToolButton({ title, active, disabled, onClick, icon, children, testId }: { title: string; active?: boolean; disabled?: boolean; onClick: () => void; icon?: ReactNode; children?: ReactNode; testId: string }) {
  return (
    <Tooltip title={title}>
      <Button
        size="small"
        type={active ? 'primary' : 'text'}
        ghost={false}
        icon={icon}
        disabled={disabled}
        aria-label={title}
        aria-pressed={active}
        // Keep the text selection: a click on the toolbar must not take the focus out of the document.
        onMouseDown={(event) => event.preventDefault()}
        onClick={onClick}
        data-testid={testId}
      >
        {children}
      </Button>
    </Tooltip>
  );
}

/**
 * The editor's toolbar: headings, inline marks, lists, code block, table (insert 3×3 with a header row,
 * add / remove rows and columns), picture (PNG/JPEG ≤ 1 MB, kept in the document), undo / redo.
 */
export function EditorToolbar({ editor }: { editor: Editor }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const state = useToolbarState(editor);
  const fileInput = useRef<HTMLInputElement>(null);
  const chain = () => editor.chain().focus();
  const heading = (level: Level) => (
    <ToolButton key={level} title={t(`library.editor.heading${level}`)} active={state[`h${level}`]} onClick={() => chain().toggleHeading({ level }).run()} testId={`editor-h${level}`}>
      {`H${level}`}
    </ToolButton>
  );
  const pickImage = async (file: File | undefined) => {
    if (!file) {
      return;
    }
    const picked = await readImageFile(file);
    if (!picked.ok) {
      void message.error(t(`library.editor.imageRefused.${picked.reason}`));
      return;
    }
    chain().setImage({ src: picked.src, alt: file.name, width: picked.width, height: picked.height }).run();
  };
  const tableItems = [
    { key: 'addRowAfter', label: t('library.editor.table.addRow'), disabled: !state.inTable, run: () => chain().addRowAfter().run() },
    { key: 'deleteRow', label: t('library.editor.table.deleteRow'), disabled: !state.inTable, run: () => chain().deleteRow().run() },
    { key: 'addColumnAfter', label: t('library.editor.table.addColumn'), disabled: !state.inTable, run: () => chain().addColumnAfter().run() },
    { key: 'deleteColumn', label: t('library.editor.table.deleteColumn'), disabled: !state.inTable, run: () => chain().deleteColumn().run() },
    { key: 'deleteTable', label: t('library.editor.table.delete'), disabled: !state.inTable, danger: true, run: () => chain().deleteTable().run() },
  ];
  return (
    <Flex wrap gap={2} align="center" className="yw-editor-toolbar" role="toolbar" aria-label={t('library.editor.toolbar')} data-testid="editor-toolbar">
      {([1, 2, 3] as const).map(heading)}
      <Divider orientation="vertical" />
      <ToolButton title={t('library.editor.bold')} icon={<BoldOutlined />} active={state.bold} onClick={() => chain().toggleBold().run()} testId="editor-bold" />
      <ToolButton title={t('library.editor.italic')} icon={<ItalicOutlined />} active={state.italic} onClick={() => chain().toggleItalic().run()} testId="editor-italic" />
      <ToolButton title={t('library.editor.underline')} icon={<UnderlineOutlined />} active={state.underline} onClick={() => chain().toggleUnderline().run()} testId="editor-underline" />
      <ToolButton title={t('library.editor.strike')} icon={<StrikethroughOutlined />} active={state.strike} onClick={() => chain().toggleStrike().run()} testId="editor-strike" />
      <ToolButton title={t('library.editor.code')} icon={<CodeOutlined />} active={state.code} onClick={() => chain().toggleCode().run()} testId="editor-code" />
      <Divider orientation="vertical" />
      <ToolButton title={t('library.editor.bulletList')} icon={<UnorderedListOutlined />} active={state.bulletList} onClick={() => chain().toggleBulletList().run()} testId="editor-bullet-list" />
      <ToolButton title={t('library.editor.orderedList')} icon={<OrderedListOutlined />} active={state.orderedList} onClick={() => chain().toggleOrderedList().run()} testId="editor-ordered-list" />
      <ToolButton title={t('library.editor.codeBlock')} active={state.codeBlock} onClick={() => chain().toggleCodeBlock().run()} testId="editor-code-block">
        {'</>'}
      </ToolButton>
      <Divider orientation="vertical" />
      <ToolButton title={t('library.editor.table.insert')} icon={<TableOutlined />} onClick={() => chain().insertTable({ rows: 3, cols: 3, withHeaderRow: true }).run()} testId="editor-table" />
      <Dropdown
        disabled={!state.inTable}
        trigger={['click']}
        menu={{ items: tableItems.map(({ run: _run, ...item }) => ({ ...item, 'data-testid': `editor-table-${item.key}` })), onClick: ({ key }) => tableItems.find((item) => item.key === key)?.run() }}
      >
        <Button size="small" type="text" disabled={!state.inTable} onMouseDown={(event) => event.preventDefault()} data-testid="editor-table-menu">
          {t('library.editor.table.edit')}
        </Button>
      </Dropdown>
      <ToolButton title={t('library.editor.image')} icon={<PictureOutlined />} onClick={() => fileInput.current?.click()} testId="editor-image" />
      <input
        ref={fileInput}
        type="file"
        accept={IMAGE_TYPES.join(',')}
        hidden
        onChange={(event) => {
          const file = event.target.files?.[0];
          event.target.value = '';
          void pickImage(file);
        }}
        data-testid="editor-image-input"
      />
      <Divider orientation="vertical" />
      <ToolButton title={t('library.editor.undo')} icon={<UndoOutlined />} disabled={!state.canUndo} onClick={() => chain().undo().run()} testId="editor-undo" />
      <ToolButton title={t('library.editor.redo')} icon={<RedoOutlined />} disabled={!state.canRedo} onClick={() => chain().redo().run()} testId="editor-redo" />
    </Flex>
  );
}
