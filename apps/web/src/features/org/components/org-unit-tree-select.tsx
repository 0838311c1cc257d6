import { useMemo, type CSSProperties } from 'react';
import { TreeSelect } from 'antd';
import { useTranslation } from 'react-i18next';
import { useOrgUnits } from '../api/use-org-units';
import { buildOrgTree, descendantIds } from '../org-tree';

interface SingleProps {
  multiple?: false;
  value?: string | null;
  onChange?: (value: string | null) => void;
}
interface MultipleProps {
  multiple: true;
  value?: string[] | null;
  onChange?: (value: string[]) => void;
}
type OrgUnitTreeSelectProps = (SingleProps | MultipleProps) & {
  /** This unit and its descendants cannot be picked (e.g. when choosing a new parent). */
  excludeSubtreeOf?: string;
  placeholder?: string;
  disabled?: boolean;
  id?: string;
  style?: CSSProperties;
};

/** Pick one or several organisation units from the tree (a Form control). */
export function OrgUnitTreeSelect(props: OrgUnitTreeSelectProps) {
  const { t } = useTranslation();
  const { data: units = [], isLoading } = useOrgUnits();
  const treeData = useMemo(() => {
    const excluded = props.excludeSubtreeOf ? descendantIds(units, props.excludeSubtreeOf) : undefined;
    return buildOrgTree(units, excluded);
  }, [units, props.excludeSubtreeOf]);

  const common = {
    id: props.id,
    treeData,
    loading: isLoading,
    disabled: props.disabled,
    allowClear: true,
    showSearch: true,
    treeNodeFilterProp: 'title',
    treeDefaultExpandAll: true,
    placeholder: props.placeholder ?? t('org.selectPlaceholder'),
    notFoundContent: t('org.empty'),
    style: { width: '100%', ...props.style },
  };

  if (props.multiple) {
    const { onChange } = props;
    return (
      <TreeSelect<string[]>
        {...common}
        multiple
        maxTagCount="responsive"
        value={props.value ?? []}
        onChange={(value) => onChange?.(value ?? [])}
      />
    );
  }
  const { onChange } = props;
  return (
    <TreeSelect<string | null>
      {...common}
      value={props.value ?? undefined}
      onChange={(value) => onChange?.(value ?? null)}
    />
  );
}
