import { Fragment } from 'react';
import { Space, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import type { Matcher } from '@yunwei/contracts/alert-routing';
import type { CiRef } from '@yunwei/contracts/cmdb';
import { idsNamedBy } from '../silence-cis';

const OP_SIGN: Record<Matcher['op'], string> = { '=': '=', '!=': '≠', '=~': '∈', '!~': '∉' };

/**
 * Matchers as people read them: a `ci` matcher naming CIs shows their names (配置项 = web-01, each a
 * link to the CI), other matchers as `name op "value"`. A CI the server did not name (deleted, or of
 * another unit) says so instead of showing its id.
 */
export function MatchersView({ matchers, cis }: { matchers: readonly Matcher[]; cis: readonly CiRef[] }) {
  const { t } = useTranslation();
  const names = new Map(cis.map((c) => [c.id, c]));
  return (
    <Space size={[8, 2]} wrap data-testid="matchers-view">
      {matchers.map((m, i) => {
        const ids = idsNamedBy(m);
        if (!ids) {
          return (
            <Typography.Text key={i} code>
              {`${m.name}${m.op}"${m.value}"`}
            </Typography.Text>
          );
        }
        const sign = ids.length === 1 && (m.op === '=~' || m.op === '!~') ? (m.op === '=~' ? '=' : '≠') : OP_SIGN[m.op];
        return (
          <span key={i} data-testid="matcher-ci">
            {t('alertRouting.matcher.ci')} {sign}{' '}
            {ids.map((id, j) => {
              const ci = names.get(id);
              return (
                <Fragment key={id}>
                  {j > 0 && '、'}
                  {ci ? <Link to={`/cmdb/cis/${id}`}>{ci.name}</Link> : <Typography.Text type="secondary">{t('alertRouting.matcher.ciUnknown')}</Typography.Text>}
                </Fragment>
              );
            })}
          </span>
        );
      })}
    </Space>
  );
}
