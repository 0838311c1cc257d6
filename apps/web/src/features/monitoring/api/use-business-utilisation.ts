import { useQuery } from '@tanstack/react-query';
import type { Ci, CiClass } from '@yunwei/contracts/cmdb';
import type { PageOf } from '@yunwei/contracts/common';
import type { UtilisationGroup, UtilisationResult } from '@yunwei/contracts/monitoring';
import { api } from '../../../app/api-client';

const MAX_SYSTEMS = 50;
/** A label no series has: grouping by it puts every series of the query into one group. */
const ONE_GROUP = 'yw_all';

function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

export interface BusinessUtilisation {
  id: string;
  name: string;
  group: UtilisationGroup | null;
}

/**
 * Utilisation per business system: for each one, the series of the CIs it relies on (CMDB), analysed
 * as one group by GET /api/monitoring/utilisation.
 */
export function useBusinessUtilisation(params: { metric: string; start: number; end: number; threshold?: number } | null) {
  return useQuery({
    queryKey: ['monitoring', 'utilisation', 'business', params],
    enabled: params !== null,
    meta: { silent: true },
    queryFn: async ({ signal }): Promise<BusinessUtilisation[]> => {
      const classes = await api.get<CiClass[]>('/api/cmdb/classes', undefined, signal);
      const bsClass = classes.find((c) => c.code === 'business_system');
      if (!bsClass) {
        return [];
      }
      const systems = await api.get<PageOf<Ci>>('/api/cmdb/cis', { classId: bsClass.id, limit: MAX_SYSTEMS }, signal);
      return Promise.all(
        systems.items.map(async (bs) => {
          const members = await api.get<PageOf<Ci>>('/api/cmdb/cis', { businessSystemId: bs.id, limit: 500 }, signal);
          if (members.items.length === 0) {
            return { id: bs.id, name: bs.name, group: null };
          }
          const ids = members.items.map((m) => escapeRegex(m.id)).join('|');
          const selector = `${params!.metric}{ci=~"${ids}"}`;
          const result = await api.get<UtilisationResult>('/api/monitoring/utilisation', { query: selector, start: params!.start, end: params!.end, threshold: params!.threshold, by: ONE_GROUP }, signal);
          const group = result.groups[0];
          return { id: bs.id, name: bs.name, group: group && group.points > 0 ? group : null };
        }),
      );
    },
  });
}
