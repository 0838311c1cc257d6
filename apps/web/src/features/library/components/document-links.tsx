import { useState } from 'react';
import { Button, Card, Flex, List, Select, Space, Tag, Typography } from 'antd';
import { LinkOutlined, PlusOutlined } from '@ant-design/icons';
import { Link } from 'react-router';
import { useTranslation } from 'react-i18next';
import type { LibraryDocumentDetail, LibraryLinkKind } from '@yunwei/contracts/library';
import { reportError } from '../../../app/query-client';
import { ConfirmButton } from '../../../shared/confirm-mutation';
import { useCiClasses } from '../../cmdb/api/use-cmdb';
import { CiPicker } from '../../cmdb/components/ci-picker';
import { useAddLink, useRemoveLink } from '../api/use-library';

/** The kinds a reader links from this page: things of the CMDB, picked by name. */
const PICKABLE: readonly LibraryLinkKind[] = ['ci', 'business_system'];

/** What the document is about: CIs and business systems by name, each opening its own page. */
export function DocumentLinks({ doc }: { doc: LibraryDocumentDetail }) {
  const { t } = useTranslation();
  const add = useAddLink(doc.id);
  const remove = useRemoveLink(doc.id);
  const classes = useCiClasses();
  const businessClass = classes.data?.find((c) => c.code === 'business_system');
  const [kind, setKind] = useState<LibraryLinkKind>('ci');
  const [target, setTarget] = useState<string | undefined>(undefined);
  const linked = new Set(doc.links.map((l) => `${l.kind}:${l.targetId}`));

  const link = async () => {
    if (!target) {
      return;
    }
    try {
      await add.mutateAsync({ kind, targetId: target });
      setTarget(undefined);
    } catch (error) {
      reportError(error);
    }
  };

  return (
    <Card variant="borderless" title={t('library.links.title')} data-testid="document-links">
      <List
        size="small"
        dataSource={doc.links}
        locale={{ emptyText: t('library.links.empty') }}
        renderItem={(l) => (
          <List.Item
            actions={
              doc.actions.link
                ? [
                    <ConfirmButton
                      key="remove"
                      label={t('library.links.remove')}
                      title={t('library.links.removeConfirm', { name: l.name ?? l.targetId })}
                      okText={t('library.links.remove')}
                      run={() => remove.mutateAsync(l.id)}
                      success={t('library.links.removed')}
                      testId={`link-remove-${l.targetId}`}
                    />,
                  ]
                : []
            }
          >
            <Space>
              <Tag>{t(`library.links.kind.${l.kind}`)}</Tag>
              {l.name === null ? (
                <Typography.Text type="secondary">{t('library.links.gone')}</Typography.Text>
              ) : l.href ? (
                <Link to={l.href}>{l.name}</Link>
              ) : (
                <span>{l.name}</span>
              )}
            </Space>
          </List.Item>
        )}
      />
      {doc.actions.link && (
        <Flex wrap gap={8} style={{ marginTop: 12 }}>
          <Select<LibraryLinkKind>
            value={kind}
            onChange={(v) => {
              setKind(v);
              setTarget(undefined);
            }}
            options={PICKABLE.map((k) => ({ value: k, label: t(`library.links.kind.${k}`) }))}
            style={{ width: 130 }}
            data-testid="link-kind"
          />
          <CiPicker
            key={kind}
            classId={kind === 'business_system' ? businessClass?.id : undefined}
            excludeIds={doc.links.filter((l) => l.kind === kind).map((l) => l.targetId)}
            value={target}
            onChange={setTarget}
            style={{ width: 280 }}
            testId="link-target"
          />
          <Button icon={target ? <PlusOutlined /> : <LinkOutlined />} disabled={!target || linked.has(`${kind}:${target}`)} loading={add.isPending} onClick={() => void link()} data-testid="link-add">
            {t('library.links.add')}
          </Button>
        </Flex>
      )}
    </Card>
  );
}
