import type { CSSProperties, HTMLAttributes } from 'react';
import { Alert, Button, Card, Flex, Result, Select, Space, Table, Tag, Typography, type TableColumnsType } from 'antd';
import { ArrowLeftOutlined, SwapOutlined } from '@ant-design/icons';
import { useNavigate, useParams, useSearchParams } from 'react-router';
import { useTranslation } from 'react-i18next';
import type { LibraryDiffKind, LibraryDiffRow } from '@yunwei/contracts/library';
import { PageContainer } from '../../../shared/components/page-container';
import { FullPageSpin } from '../../../shared/components/full-page-spin';
import { useLibraryDiff, useLibraryDocument } from '../api/use-library';
import { readBlock, type DiffBlock } from '../diff-blocks';
import { changedParts } from '../diff-marks';

const ROW_FILL: Record<LibraryDiffKind, string | undefined> = { same: undefined, added: '#f6ffed', removed: '#fff1f0', changed: '#fffbe6' };
const MARK: Record<'left' | 'right', CSSProperties> = {
  left: { background: '#ffccc7', textDecoration: 'line-through' },
  right: { background: '#b7eb8f' },
};

/** Heading sizes by level (1–6): larger than body text, h1 largest. */
const HEADING_SIZE = [20, 18, 16, 15, 14, 14];

function blockStyle(block: DiffBlock): CSSProperties {
  return { whiteSpace: 'pre-wrap', ...(block.kind === 'heading' ? { fontWeight: 600, fontSize: HEADING_SIZE[block.level - 1] } : {}) };
}

/**
 * One side of a row, as read (a heading styled as a heading, a table row as "a · b", no `#` or `|`
 * markers); a changed block marks where its readable text differs from the other side.
 */
function Side({ row, side }: { row: LibraryDiffRow; side: 'left' | 'right' }) {
  const line = row[side];
  if (line === null) {
    return null;
  }
  const block = readBlock(line);
  const style = blockStyle(block);
  if (row.kind !== 'changed' || row.left === null || row.right === null) {
    return (
      <span style={style} data-block={block.kind}>
        {block.text}
      </span>
    );
  }
  const parts = changedParts(readBlock(row.left).text, readBlock(row.right).text);
  return (
    <span style={style} data-block={block.kind}>
      {parts.prefix}
      <span style={MARK[side]}>{parts[side]}</span>
      {parts.suffix}
    </span>
  );
}

/**
 * Two versions of a document side by side, block by block (headings, paragraphs, list items, table
 * rows): added rows green, removed red, changed yellow with the changed words marked. The versions
 * are in the URL (`?left=&right=`), so a comparison can be linked.
 */
export default function DiffPage() {
  const { id = '' } = useParams();
  const { t } = useTranslation();
  const navigate = useNavigate();
  const [params, setParams] = useSearchParams();
  const doc = useLibraryDocument(id);
  const versions = doc.data?.versions ?? [];
  // Default: the newest version against the one before it.
  const left = params.get('left') ?? versions[1]?.id;
  const right = params.get('right') ?? versions[0]?.id;
  const diff = useLibraryDiff(id, left, right);
  if (doc.isLoading) {
    return <FullPageSpin />;
  }
  if (!doc.data) {
    return <Result status="404" title={t('library.notFound')} />;
  }
  const d = doc.data;
  const pick = (side: 'left' | 'right', value: string) => setParams((current) => ({ ...Object.fromEntries(current), left: left ?? '', right: right ?? '', [side]: value }), { replace: true });
  const options = versions.map((v) => ({ value: v.id, label: `${v.label} · ${t(`library.status.${v.status}`)}` }));
  const labelOf = (versionId: string | undefined) => versions.find((v) => v.id === versionId)?.label ?? '';
  const stats = diff.data?.stats;
  const columns: TableColumnsType<LibraryDiffRow & { key: number }> = [
    { title: labelOf(left), key: 'left', width: '50%', render: (_, row) => <Side row={row} side="left" /> },
    { title: labelOf(right), key: 'right', width: '50%', render: (_, row) => <Side row={row} side="right" /> },
  ];

  return (
    <PageContainer
      title={t('library.diff.title', { number: d.number, title: d.title })}
      description={t('library.diff.description')}
      testId="library-diff-page"
      extra={
        <Button icon={<ArrowLeftOutlined />} onClick={() => void navigate(`/library/documents/${d.id}`)}>
          {t('library.backToDocument')}
        </Button>
      }
    >
      <Card variant="borderless">
        <Flex wrap gap={12} align="center">
          <Select value={left} onChange={(v) => pick('left', v)} options={options} style={{ width: 180 }} placeholder={t('library.diff.left')} data-testid="diff-left" />
          <SwapOutlined />
          <Select value={right} onChange={(v) => pick('right', v)} options={options} style={{ width: 180 }} placeholder={t('library.diff.right')} data-testid="diff-right" />
          {stats && (
            <Space size={4} wrap data-testid="diff-stats">
              <Tag color="success">{t('library.diff.added', { count: stats.added })}</Tag>
              <Tag color="error">{t('library.diff.removed', { count: stats.removed })}</Tag>
              <Tag color="warning">{t('library.diff.changed', { count: stats.changed })}</Tag>
              <Tag>{t('library.diff.same', { count: stats.same })}</Tag>
            </Space>
          )}
        </Flex>
        {versions.length < 2 && <Alert type="info" showIcon style={{ marginTop: 12 }} title={t('library.diff.oneVersion')} />}
        {left && left === right && <Alert type="info" showIcon style={{ marginTop: 12 }} title={t('library.diff.sameVersion')} />}
        {diff.data?.truncated && <Alert type="warning" showIcon style={{ marginTop: 12 }} title={t('library.diff.truncated')} />}
      </Card>
      {diff.data && (
        <Card variant="borderless">
          {stats && stats.added + stats.removed + stats.changed === 0 && (
            <Typography.Paragraph type="secondary" data-testid="diff-identical">
              {t('library.diff.identical')}
            </Typography.Paragraph>
          )}
          <Table<LibraryDiffRow & { key: number }>
            size="small"
            bordered
            tableLayout="fixed"
            pagination={false}
            columns={columns}
            dataSource={diff.data.rows.map((row, key) => ({ ...row, key }))}
            onRow={(row) => ({ style: { background: ROW_FILL[row.kind] }, 'data-testid': `diff-row-${row.kind}` }) as HTMLAttributes<HTMLElement>}
            loading={diff.isFetching}
            data-testid="diff-table"
          />
        </Card>
      )}
    </PageContainer>
  );
}
