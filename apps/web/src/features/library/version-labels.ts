/** The next minor and major labels after `label` ('v1.2' → v1.3 / v2.0), for the 新版本 choice; '' when it is no vX.Y. */
export function nextLabels(label: string): { minor: string; major: string } {
  const match = /^v(\d+)\.(\d+)$/.exec(label);
  if (!match) {
    return { minor: '', major: '' };
  }
  const major = Number(match[1]);
  const minor = Number(match[2]);
  return { minor: `v${major}.${minor + 1}`, major: `v${major + 1}.0` };
}
