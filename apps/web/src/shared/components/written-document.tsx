import type { CSSProperties, ReactNode } from 'react';
import { Descriptions, Table, Typography } from 'antd';
import type { DocumentBlock, DocumentRun, DocumentTone, WrittenDocument } from '@yunwei/contracts/documents';

const TEXT_TYPE: Record<DocumentTone, 'success' | 'warning' | 'danger' | undefined> = { normal: undefined, good: 'success', warning: 'warning', danger: 'danger' };
const ROW_FILL: Record<DocumentTone, string | undefined> = { normal: undefined, good: undefined, warning: '#fff7e6', danger: '#fff1f0' };
const MONO = "ui-monospace, SFMono-Regular, Menlo, Consolas, 'Liberation Mono', monospace";
const CODE_BLOCK: CSSProperties = { background: '#f5f5f5', padding: '8px 12px', borderRadius: 4, fontFamily: MONO, fontSize: 13, whiteSpace: 'pre-wrap', overflowWrap: 'anywhere', marginBottom: 12 };

/** A run with its marks, as the rich-text editor wrote it. */
function Run({ run }: { run: DocumentRun }) {
  let node: ReactNode = run.text;
  if (run.code) {
    node = <code style={{ fontFamily: MONO, background: '#f5f5f5', padding: '0 3px', borderRadius: 3 }}>{node}</code>;
  }
  if (run.strike) {
    node = <s>{node}</s>;
  }
  if (run.underline) {
    node = <u>{node}</u>;
  }
  if (run.italic) {
    node = <em>{node}</em>;
  }
  if (run.bold) {
    node = <strong>{node}</strong>;
  }
  return node;
}

function Block({ block }: { block: DocumentBlock }) {
  switch (block.kind) {
    case 'paragraph':
      return (
        <Typography.Paragraph type={block.tone ? TEXT_TYPE[block.tone] : undefined} strong={block.tone === 'danger'} style={{ whiteSpace: 'pre-line' }}>
          {block.runs?.length ? block.runs.map((run, i) => <Run key={i} run={run} />) : block.text}
        </Typography.Paragraph>
      );
    case 'heading':
      // Below the sub-section headings (h5): h6 at the body size for level 3, a bold line for level 4.
      return block.level === 3 ? (
        <h6 style={{ fontSize: 14, fontWeight: 600, margin: '12px 0 8px' }}>{block.text}</h6>
      ) : (
        <div role="heading" aria-level={7} style={{ fontWeight: 600, margin: '8px 0 4px' }}>
          {block.text}
        </div>
      );
    case 'list': {
      const items = block.items.map((item, i) => (
        <li key={i}>
          <Typography.Text>{item}</Typography.Text>
        </li>
      ));
      return block.ordered ? <ol style={{ paddingInlineStart: 24, marginBottom: 12 }}>{items}</ol> : <ul style={{ paddingInlineStart: 20, marginBottom: 12 }}>{items}</ul>;
    }
    case 'table':
      return (
        <Table<{ key: number; cells: string[]; tone: DocumentTone }>
          size="small"
          bordered
          pagination={false}
          style={{ marginBottom: 16 }}
          dataSource={block.rows.map((cells, i) => ({ key: i, cells, tone: block.tones?.[i] ?? 'normal' }))}
          columns={block.header.map((title, c) => ({ title, key: c, render: (_, row) => row.cells[c] }))}
          onRow={(row) => ({ style: { background: ROW_FILL[row.tone] } })}
        />
      );
    case 'code':
      return (
        <pre style={CODE_BLOCK} data-language={block.language}>
          <code>{block.text}</code>
        </pre>
      );
    case 'image':
      // At most its own size (never scaled up), at most the column's width.
      return (
        <figure style={{ margin: '0 0 16px', textAlign: 'center' }}>
          <img src={`data:${block.mime};base64,${block.data}`} width={block.width} height={block.height} alt={block.caption ?? ''} style={{ maxWidth: '100%', height: 'auto' }} />
          {block.caption ? (
            <figcaption>
              <Typography.Text type="secondary">{block.caption}</Typography.Text>
            </figcaption>
          ) : null}
        </figure>
      );
  }
}

function Blocks({ blocks }: { blocks: readonly DocumentBlock[] }) {
  return blocks.map((b, i) => <Block key={i} block={b} />);
}

/**
 * A document the server wrote (an analysis report, a regime) as it reads in Word: title, facts,
 * numbered sections with paragraphs, headings, lists, tables, code and pictures; judgements highlighted
 * by tone. A section headed '' (the text before a library document's first heading) shows no heading.
 */
export function WrittenDocumentView({ doc, testId = 'written-document' }: { doc: WrittenDocument; testId?: string }) {
  return (
    <article data-testid={testId}>
      <Typography.Title level={3} style={{ textAlign: 'center' }}>
        {doc.title}
      </Typography.Title>
      <Descriptions size="small" column={1} style={{ marginBottom: 16 }} items={doc.facts.map(([label, value], i) => ({ key: i, label, children: value }))} />
      {doc.sections.map((section, i) => (
        <section key={i}>
          {section.heading ? <Typography.Title level={4}>{section.heading}</Typography.Title> : null}
          <Blocks blocks={section.blocks} />
          {section.sections?.map((sub, j) => (
            <section key={j}>
              {sub.heading ? <Typography.Title level={5}>{sub.heading}</Typography.Title> : null}
              <Blocks blocks={sub.blocks} />
            </section>
          ))}
        </section>
      ))}
    </article>
  );
}
