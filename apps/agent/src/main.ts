/**
 * yunwei-agent — the Yunwei host agent.
 *
 * Skeleton for now: the monitoring issue adds `enroll`, `run` and `install` (metrics, inventory,
 * disk buffer). It already answers `--version` and `--help` so packaging can be tested.
 *
 * @example
 *   yunwei-agent --version
 */
const VERSION = '0.1.0';
const HELP = `yunwei-agent ${VERSION} — the Yunwei host agent

Usage: yunwei-agent [--help | --version]

Enrolment, metrics and inventory collection arrive with the monitoring module.`;

const arg = process.argv[2];
if (arg === '--version' || arg === '-v') {
  console.log(VERSION);
} else if (arg === undefined || arg === '--help' || arg === '-h') {
  console.log(HELP);
} else {
  console.error(`yunwei-agent: unknown command "${arg}"\n\n${HELP}`);
  process.exitCode = 2;
}
