import { Tag } from 'antd';
import { useTranslation } from 'react-i18next';
import type { AgentStatus, EnrolmentTokenState } from '@yunwei/contracts/agents';

const AGENT_COLORS: Record<AgentStatus, string> = { online: 'success', offline: 'warning', revoked: 'default' };
const TOKEN_COLORS: Record<EnrolmentTokenState, string> = { active: 'processing', used: 'success', expired: 'warning', revoked: 'default' };

export function AgentStatusTag({ status }: { status: AgentStatus }) {
  const { t } = useTranslation();
  return (
    <Tag color={AGENT_COLORS[status]} data-testid={`agent-status-${status}`}>
      {t(`agents.status.${status}`)}
    </Tag>
  );
}

export function TokenStateTag({ state }: { state: EnrolmentTokenState }) {
  const { t } = useTranslation();
  return <Tag color={TOKEN_COLORS[state]}>{t(`agents.token.state.${state}`)}</Tag>;
}
