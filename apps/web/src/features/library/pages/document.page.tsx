import { useState } from 'react';
import { Alert, Card, Descriptions, Flex, Result, Select, Typography } from 'antd';
import { Link, useParams } from 'react-router';
import { useTranslation } from 'react-i18next';
import type { JSONContent } from '@tiptap/react';
import type { LibraryDocumentDetail } from '@yunwei/contracts/library';
import { PageContainer } from '../../../shared/components/page-container';
import { DateTime } from '../../../shared/components/date-time';
import { DocumentDownload } from '../../../shared/components/document-download';
import { FullPageSpin } from '../../../shared/components/full-page-spin';
import { downloadVersion, useLibraryDocument, useLibraryVersion } from '../api/use-library';
import { DocumentActions } from '../components/document-actions';
import { DocumentHistory } from '../components/document-history';
import { DocumentLinks } from '../components/document-links';
import { LazyEditor } from '../components/lazy-editor';
import { LibraryStatusTag, ReviewDue } from '../components/library-tags';
import { VersionTable } from '../components/version-table';

/** The version a reader opens first: the one in force, else the newest (a document not yet published). */
function defaultVersion(doc: LibraryDocumentDetail): string | undefined {
  return doc.publishedVersion?.id ?? doc.versions[0]?.id;
}

/** The body of one version, read-only (the newest comes with the document; older ones are fetched). */
function VersionBody({ doc, versionId }: { doc: LibraryDocumentDetail; versionId: string }) {
  const newest = doc.versions[0]?.id === versionId;
  const version = useLibraryVersion(doc.id, newest ? undefined : versionId);
  const body = newest ? doc.body : version.data?.body;
  if (!body) {
    return <FullPageSpin />;
  }
  return <LazyEditor key={`${versionId}-${newest ? doc.updatedAt : ''}`} readOnly content={body as JSONContent} testId="document-body" />;
}

/**
 * One document: its cover facts, a version shown read-only (in force by default) with its Word and
 * PDF downloads, the actions its state and the reader's permissions allow, its versions, links and
 * history.
 */
export default function DocumentPage() {
  const { id = '' } = useParams();
  const { t } = useTranslation();
  const doc = useLibraryDocument(id);
  const [picked, setPicked] = useState<string | undefined>(undefined);
  if (doc.isLoading) {
    return <FullPageSpin />;
  }
  if (!doc.data) {
    return <Result status="404" title={t('library.notFound')} />;
  }
  const d = doc.data;
  const shownId = picked && d.versions.some((v) => v.id === picked) ? picked : defaultVersion(d);
  const shown = d.versions.find((v) => v.id === shownId);
  const inReview = d.versions[0]?.status === 'in_review';

  return (
    <PageContainer
      title={
        <span data-testid="document-heading">
          <Typography.Text type="secondary" style={{ fontSize: 'inherit', fontWeight: 'normal' }}>
            {d.number}
          </Typography.Text>{' '}
          {d.title}
        </span>
      }
      testId="library-document-page"
      extra={<DocumentActions doc={d} />}
    >
      <Card variant="borderless">
        <Descriptions size="small" column={{ xs: 1, md: 2, xl: 3 }}>
          <Descriptions.Item label={t('library.field.number')}>{d.number}</Descriptions.Item>
          <Descriptions.Item label={t('library.field.type')}>{d.type.name}</Descriptions.Item>
          <Descriptions.Item label={t('library.field.status')}>
            <LibraryStatusTag status={d.status} testId="document-status" />
          </Descriptions.Item>
          <Descriptions.Item label={t('library.field.currentVersion')}>{d.publishedVersion?.label ?? <Typography.Text type="secondary">{t('library.field.none')}</Typography.Text>}</Descriptions.Item>
          <Descriptions.Item label={t('library.field.latestVersion')}>
            <span data-testid="document-latest-version">{d.latestVersion.label}</span> <LibraryStatusTag status={d.latestVersion.status} />
          </Descriptions.Item>
          <Descriptions.Item label={t('library.field.orgUnit')}>{d.orgUnit?.name ?? t('common.empty')}</Descriptions.Item>
          <Descriptions.Item label={t('library.field.owner')}>{d.owner.name}</Descriptions.Item>
          <Descriptions.Item label={t('library.field.reviewDue')}>
            <ReviewDue at={d.reviewDueAt} overdue={d.reviewOverdue} />
          </Descriptions.Item>
          <Descriptions.Item label={t('common.updatedAt')}>
            <DateTime value={d.updatedAt} /> {d.updatedBy && <Typography.Text type="secondary">· {d.updatedBy.name}</Typography.Text>}
          </Descriptions.Item>
          <Descriptions.Item label={t('library.field.flow')}>{d.type.flowCode ? t('library.field.flowNeeded') : t('library.field.noFlow')}</Descriptions.Item>
          {d.retiredAt && (
            <Descriptions.Item label={t('library.field.retiredAt')}>
              <DateTime value={d.retiredAt} />
            </Descriptions.Item>
          )}
        </Descriptions>
        {inReview && d.approvalRequestId && (
          <Alert
            type="info"
            showIcon
            style={{ marginTop: 12 }}
            title={t('library.inReview', { label: d.latestVersion.label })}
            action={
              <Link to={`/approvals/requests/${d.approvalRequestId}`} data-testid="document-approval-link">
                {t('library.openApproval')}
              </Link>
            }
            data-testid="document-in-review"
          />
        )}
      </Card>
      <Card variant="borderless" title={t('library.field.body')}>
        <Flex gap={8} align="center" justify="space-between" wrap style={{ marginBottom: 16 }}>
          <Select
            value={shownId}
            onChange={setPicked}
            options={d.versions.map((v) => ({ value: v.id, label: `${v.label} · ${t(`library.status.${v.status}`)}` }))}
            style={{ minWidth: 160 }}
            aria-label={t('library.field.version')}
            data-testid="shown-version"
          />
          {shown && <DocumentDownload download={(format) => downloadVersion(d.id, shown.id, format)} testId="document-download" />}
        </Flex>
        {shownId ? <VersionBody doc={d} versionId={shownId} /> : null}
      </Card>
      <Card variant="borderless" title={t('library.versions')}>
        <VersionTable versions={d.versions} shown={shownId} onShow={setPicked} />
      </Card>
      <DocumentLinks doc={d} />
      <Card variant="borderless" title={t('library.historyTitle')}>
        <DocumentHistory entries={d.history} />
      </Card>
    </PageContainer>
  );
}
