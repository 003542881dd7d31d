/**
 * PromQL checks for tests. First the real grammar: Prometheus' own lezer PromQL parser (@prometheus-io/lezer-promql,
 * the one the Prometheus UI uses) must parse the expression without an error node (Grafana's `$__rate_interval`-style
 * variables are replaced by a duration first, as Grafana does before sending the query). Then a small tokenizer checks
 * what the grammar cannot: every series exists in ingress-nginx v1.15.1 (or is Prometheus' `up`), every label in a
 * selector exists on that series as scraped, every grouping label exists on some series of the expression, functions
 * are known, ranges and offsets are durations.
 */
import { parser } from '@prometheus-io/lezer-promql';
import { scrapedLabelsOf } from '../../lib/monitoring/metrics';

/** Syntax errors the PromQL grammar reports (empty when the expression parses). */
export function promqlSyntaxErrors(expr: string): string[] {
  const text = expr.replace(/\$__(rate_interval|range|interval)\b/g, '5m').replace(/\$\{?[A-Za-z_]+\}?/g, 'x');
  const errors: string[] = [];
  parser.parse(text).iterate({
    enter: (node) => {
      if (node.type.isError)
        errors.push(
          `syntax error at ${node.from}: ${JSON.stringify(text.slice(Math.max(0, node.from - 15), node.from + 15))}`,
        );
    },
  });
  return errors;
}

const FUNCTIONS = new Set([
  'sum',
  'min',
  'max',
  'avg',
  'count',
  'topk',
  'bottomk',
  'quantile',
  'stddev',
  'group',
  'rate',
  'irate',
  'increase',
  'delta',
  'idelta',
  'deriv',
  'histogram_quantile',
  'absent',
  'absent_over_time',
  'clamp_min',
  'clamp_max',
  'time',
  'vector',
  'scalar',
  'label_replace',
  'label_values',
  'max_over_time',
  'min_over_time',
  'avg_over_time',
]);
const KEYWORDS = new Set([
  'by',
  'without',
  'on',
  'ignoring',
  'group_left',
  'group_right',
  'and',
  'or',
  'unless',
  'offset',
  'bool',
]);
const GROUPING = new Set(['by', 'without', 'on', 'ignoring', 'group_left', 'group_right']);
const DURATION = /^(([0-9]+(ms|s|m|h|d|w|y))+|\$__rate_interval|\$__range|\$__interval)$/;
const TOKEN =
  /\s+|"(?:\\.|[^"\\])*"|\[[^\]]*\]|(?:[0-9]+(?:ms|s|m|h|d|w|y))+(?![A-Za-z0-9_])|[A-Za-z_:][A-Za-z0-9_:]*|[0-9]+(?:\.[0-9]+)?(?:e[+-]?[0-9]+)?|==|!=|=~|!~|>=|<=|[-+*/%^(){},<>=]|\$[A-Za-z_]+|./g;

/** Problems found in a PromQL expression (empty when it looks right). */
export function checkPromQL(expr: string): string[] {
  const syntax = promqlSyntaxErrors(expr);
  if (syntax.length > 0) return syntax;
  const tokens = (expr.match(TOKEN) ?? []).filter((t) => !/^\s+$/.test(t));
  const problems: string[] = [];
  const stack: string[] = [];
  const seriesUsed: string[] = [];
  const grouping: string[] = [];
  const pairs: Record<string, string> = { ')': '(', '}': '{' };
  let i = 0;
  while (i < tokens.length) {
    const t = tokens[i];
    const next = tokens[i + 1];
    if (t === '(' || t === '{') stack.push(t);
    else if (t === ')' || t === '}') {
      if (stack.pop() !== pairs[t]) problems.push(`unbalanced "${t}" at token ${i}`);
    } else if (t.startsWith('[')) {
      const inner = t.slice(1, -1);
      if (!DURATION.test(inner)) problems.push(`range [${inner}] is not a duration`);
    } else if (/^[A-Za-z_:]/.test(t)) {
      if (GROUPING.has(t)) {
        if (next === '(') {
          let j = i + 2;
          while (j < tokens.length && tokens[j] !== ')') {
            if (tokens[j] !== ',') grouping.push(tokens[j]);
            j++;
          }
          i = j + 1;
          continue;
        }
      } else if (t === 'offset') {
        if (!next || !DURATION.test(next)) problems.push(`offset "${next}" is not a duration`);
        i += 2;
        continue;
      } else if (KEYWORDS.has(t)) {
        // binary operator keyword
      } else if (next === '(' || (FUNCTIONS.has(t) && GROUPING.has(next))) {
        if (!FUNCTIONS.has(t)) problems.push(`unknown function ${t}`);
      } else {
        // a series name
        seriesUsed.push(t);
        const labels = scrapedLabelsOf(t);
        if (!labels) problems.push(`unknown series ${t}`);
        if (next === '{') {
          let j = i + 2;
          while (j < tokens.length && tokens[j] !== '}') {
            const label = tokens[j];
            const op = tokens[j + 1];
            const value = tokens[j + 2];
            if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(label)) problems.push(`bad label name "${label}" in ${t}`);
            else if (labels && !labels.has(label)) problems.push(`label ${label} does not exist on ${t}`);
            if (!['=', '!=', '=~', '!~'].includes(op)) problems.push(`bad matcher operator "${op}" in ${t}`);
            if (!value?.startsWith('"')) problems.push(`matcher value of ${label} in ${t} is not a string`);
            j += 3;
            if (tokens[j] === ',') j++;
          }
          if (tokens[j] !== '}') problems.push(`unclosed selector of ${t}`);
          i = j + 1;
          continue;
        }
      }
    }
    i++;
  }
  if (stack.length > 0) problems.push(`unclosed ${stack.join('')}`);
  const available = new Set(seriesUsed.flatMap((s) => [...(scrapedLabelsOf(s) ?? [])]));
  for (const g of grouping)
    if (!available.has(g))
      problems.push(`grouping label ${g} exists on none of ${[...new Set(seriesUsed)].join(', ')}`);
  if (seriesUsed.length === 0 && !/\b(time|vector)\s*\(/.test(expr)) problems.push('selects no series');
  return problems;
}
