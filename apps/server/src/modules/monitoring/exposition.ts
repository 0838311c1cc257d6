/**
 * A parser of the Prometheus text exposition format 0.0.4 (what exporters serve on /metrics):
 *
 *   # HELP http_requests_total The total number of HTTP requests.
 *   # TYPE http_requests_total counter
 *   http_requests_total{method="post",code="200"} 1027 1395066363000
 *   msdos_file_access_time_seconds{path="C:\\DIR\\FILE.TXT",error="Cannot find file:\n\"FILE.TXT\""} 1.458255915e9
 *   metric_without_timestamp_and_labels 12.47
 *   http_request_duration_seconds_bucket{le="+Inf"} 144320
 *
 * Comments, HELP and TYPE lines; label values with \\, \" and \n escapes; NaN, ±Inf; optional
 * millisecond timestamps. Histogram and summary lines are ordinary series (`_bucket`, `_sum`, …).
 * Like Prometheus, a malformed line fails the whole scrape (ExpositionError names the line).
 */
export type MetricType = 'counter' | 'gauge' | 'histogram' | 'summary' | 'untyped' | 'info' | 'stateset' | 'gaugehistogram' | 'unknown';

export interface ExposedSample {
  metric: string;
  labels: [string, string][];
  value: number;
  /** Epoch ms when the exporter stamped it; null means "at scrape time". */
  ts: number | null;
}

export interface Exposition {
  samples: ExposedSample[];
  types: Map<string, MetricType>;
  help: Map<string, string>;
}

export class ExpositionError extends Error {
  constructor(
    readonly line: number,
    message: string,
  ) {
    super(`line ${line}: ${message}`);
    this.name = 'ExpositionError';
  }
}

const TYPES = new Set<MetricType>(['counter', 'gauge', 'histogram', 'summary', 'untyped', 'info', 'stateset', 'gaugehistogram', 'unknown']);
const FLOAT = /^[+-]?(?:\d+\.?\d*(?:[eE][+-]?\d+)?|\.\d+(?:[eE][+-]?\d+)?)$/;
const INTEGER = /^-?\d+$/;

function isNameStart(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === 95 || c === 58; // a-z A-Z _ :
}
function isNameChar(c: number): boolean {
  return isNameStart(c) || (c >= 48 && c <= 57);
}
function isLabelStart(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === 95;
}
function isLabelChar(c: number): boolean {
  return isLabelStart(c) || (c >= 48 && c <= 57);
}
function isBlank(c: number): boolean {
  return c === 32 || c === 9;
}

/** Parses a float as Go's strconv.ParseFloat does for the values exporters write. */
export function parseFloatValue(text: string): number | null {
  if (FLOAT.test(text)) {
    return Number(text);
  }
  const lower = text.toLowerCase();
  if (lower === 'nan') {
    return NaN;
  }
  if (lower === '+inf' || lower === 'inf' || lower === '+infinity' || lower === 'infinity') {
    return Infinity;
  }
  if (lower === '-inf' || lower === '-infinity') {
    return -Infinity;
  }
  return null;
}

export function parseExposition(text: string): Exposition {
  const result: Exposition = { samples: [], types: new Map(), help: new Map() };
  const lines = text.split('\n');
  for (let n = 0; n < lines.length; n++) {
    let line = lines[n]!;
    if (line.endsWith('\r')) {
      line = line.slice(0, -1);
    }
    let i = 0;
    while (i < line.length && isBlank(line.charCodeAt(i))) {
      i++;
    }
    if (i === line.length) {
      continue;
    }
    if (line.charCodeAt(i) === 35 /* # */) {
      if (parseComment(line.slice(i + 1), n + 1, result) === 'eof') {
        break;
      }
      continue;
    }
    result.samples.push(parseSampleLine(line, i, n + 1));
  }
  return result;
}

function parseComment(rest: string, lineNo: number, out: Exposition): 'eof' | void {
  const m = /^[ \t]+(HELP|TYPE)[ \t]+([^ \t]+)(?:[ \t]+(.*))?$/.exec(rest);
  if (!m) {
    return rest.trim() === 'EOF' ? 'eof' : undefined;
  }
  const [, keyword, name, body = ''] = m;
  if (!isValidMetricName(name!)) {
    throw new ExpositionError(lineNo, `invalid metric name "${name}" in ${keyword}`);
  }
  if (keyword === 'TYPE') {
    const type = body.trim().toLowerCase() as MetricType;
    if (!TYPES.has(type)) {
      throw new ExpositionError(lineNo, `unknown metric type "${body.trim()}"`);
    }
    out.types.set(name!, type);
  } else {
    out.help.set(name!, body.replace(/\\(\\|n)/g, (_, c: string) => (c === 'n' ? '\n' : '\\')));
  }
}

function isValidMetricName(name: string): boolean {
  if (name.length === 0 || !isNameStart(name.charCodeAt(0))) {
    return false;
  }
  for (let i = 1; i < name.length; i++) {
    if (!isNameChar(name.charCodeAt(i))) {
      return false;
    }
  }
  return true;
}

function parseSampleLine(line: string, start: number, lineNo: number): ExposedSample {
  let i = start;
  const fail = (message: string): never => {
    throw new ExpositionError(lineNo, `${message} (column ${i + 1})`);
  };
  if (!isNameStart(line.charCodeAt(i))) {
    fail('expected a metric name');
  }
  const nameStart = i;
  while (i < line.length && isNameChar(line.charCodeAt(i))) {
    i++;
  }
  const metric = line.slice(nameStart, i);
  const labels: [string, string][] = [];
  const skipBlanks = () => {
    while (i < line.length && isBlank(line.charCodeAt(i))) {
      i++;
    }
  };
  skipBlanks();
  if (line.charCodeAt(i) === 123 /* { */) {
    i++;
    for (;;) {
      skipBlanks();
      if (line.charCodeAt(i) === 125 /* } */) {
        i++;
        break;
      }
      if (!isLabelStart(line.charCodeAt(i))) {
        fail('expected a label name or }');
      }
      const ls = i;
      while (i < line.length && isLabelChar(line.charCodeAt(i))) {
        i++;
      }
      const name = line.slice(ls, i);
      skipBlanks();
      if (line.charCodeAt(i) !== 61 /* = */) {
        fail(`expected = after label ${name}`);
      }
      i++;
      skipBlanks();
      if (line.charCodeAt(i) !== 34 /* " */) {
        fail(`expected " to open the value of label ${name}`);
      }
      i++;
      let value = '';
      let segment = i;
      for (;;) {
        if (i >= line.length) {
          fail(`unterminated value of label ${name}`);
        }
        const c = line.charCodeAt(i);
        if (c === 34) {
          value += line.slice(segment, i);
          i++;
          break;
        }
        if (c === 92 /* \ */) {
          value += line.slice(segment, i);
          const next = line[i + 1];
          if (next === undefined) {
            fail(`unterminated escape in label ${name}`);
          }
          value += next === 'n' ? '\n' : next === '\\' ? '\\' : next === '"' ? '"' : `\\${next}`;
          i += 2;
          segment = i;
          continue;
        }
        i++;
      }
      labels.push([name, value]);
      skipBlanks();
      const c = line.charCodeAt(i);
      if (c === 44 /* , */) {
        i++;
      } else if (c !== 125) {
        fail('expected , or } after a label value');
      }
    }
  }
  skipBlanks();
  const vs = i;
  while (i < line.length && !isBlank(line.charCodeAt(i))) {
    i++;
  }
  const valueText = line.slice(vs, i);
  if (valueText === '') {
    fail(`missing value for ${metric}`);
  }
  const value = parseFloatValue(valueText);
  if (value === null) {
    fail(`invalid value "${valueText}"`);
  }
  skipBlanks();
  let ts: number | null = null;
  if (i < line.length) {
    const tsStart = i;
    while (i < line.length && !isBlank(line.charCodeAt(i))) {
      i++;
    }
    const tsText = line.slice(tsStart, i);
    if (!INTEGER.test(tsText)) {
      fail(`invalid timestamp "${tsText}"`);
    }
    ts = Number(tsText);
    skipBlanks();
    if (i < line.length) {
      fail('unexpected text after the timestamp');
    }
  }
  return { metric, labels, value: value!, ts };
}
