import { Descriptions, Table, Typography } from 'antd';
import type { DocumentBlock, DocumentTone, WrittenDocument } from '@yunwei/contracts/documents';

const TEXT_TYPE: Record<DocumentTone, 'success' | 'warning' | 'danger' | undefined> = { normal: undefined, good: 'success', warning: 'warning', danger: 'danger' };
const ROW_FILL: Record<DocumentTone, string | undefined> = { normal: undefined, good: undefined, warning: '#fff7e6', danger: '#fff1f0' };

function Block({ block }: { block: DocumentBlock }) {
  switch (block.kind) {
    case 'paragraph':
      return (
        <Typography.Paragraph type={block.tone ? TEXT_TYPE[block.tone] : undefined} strong={block.tone === 'danger'}>
          {block.text}
        </Typography.Paragraph>
      );
    case 'list':
      return (
        <ul style={{ paddingInlineStart: 20, marginBottom: 12 }}>
          {block.items.map((item, i) => (
            <li key={i}>
              <Typography.Text>{item}</Typography.Text>
            </li>
          ))}
        </ul>
      );
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
  }
}

/**
 * A document the server wrote (an analysis report, a regime) as it reads in Word: title, facts,
 * numbered sections with paragraphs, lists and tables; judgements highlighted by tone.
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
          <Typography.Title level={4}>{section.heading}</Typography.Title>
          {section.blocks.map((b, j) => (
            <Block key={j} block={b} />
          ))}
          {section.sections?.map((sub, j) => (
            <section key={j}>
              <Typography.Title level={5}>{sub.heading}</Typography.Title>
              {sub.blocks.map((b, k) => (
                <Block key={k} block={b} />
              ))}
            </section>
          ))}
        </section>
      ))}
    </article>
  );
}
