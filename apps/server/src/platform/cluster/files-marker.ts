/**
 * Each serving node puts a small file under this key in the file store when it joins. A node that
 * finds another live node's marker shares its file store directory; one that does not (a node-local
 * YUNWEI_FILES_DIR) is flagged on the cluster page, since files uploaded there are missing here.
 */
export function filesMarker(nodeId: string): string {
  return `cluster-nodes/${nodeId}`;
}
