// axe-core (Deque's accessibility engine, the rules most audits cite) run inside the page: its source is evaluated in
// the page through the DevTools protocol — the app's Content-Security-Policy forbids inline scripts, and the test
// keeps that policy on — then `axe.run` checks the whole document against WCAG 2.0/2.1/2.2 A and AA and axe's
// best-practice rules. Each violation comes back as its rule, impact and the elements it found, so a failing test
// says what to fix.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Page } from 'playwright-core';

/** The rule sets checked: every WCAG 2.x level A and AA rule, plus axe's best practices (landmarks, headings, …). */
export const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'] as const;

export interface AxeViolation {
  rule: string;
  impact: string;
  help: string;
  /** CSS selectors of the offending elements, with axe's one-line summary of what fails on each. */
  nodes: { target: string; html: string; summary: string }[];
}

export interface AxeReport {
  violations: AxeViolation[];
  /** How many rules passed or did not apply: proof that the run looked at the page. */
  passes: number;
  /** Elements axe could not decide on (e.g. text over an image); not failures, listed for a reader. */
  incomplete: { rule: string; targets: string[] }[];
}

let source: string | null = null;
function axeSource(): string {
  source ??= readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
  return source;
}

interface RawNode {
  target: unknown[];
  html: string;
  failureSummary?: string;
}
interface RawResult {
  id: string;
  impact?: string | null;
  help: string;
  nodes: RawNode[];
}

/** Runs axe-core on the page as it is now (call it once the page shows what should be checked). */
export async function runAxe(page: Page): Promise<AxeReport> {
  const installed = await page.evaluate('typeof globalThis.axe === "object"');
  if (!installed) await page.evaluate(axeSource());
  const raw = (await page.evaluate(
    `globalThis.axe.run(document, { runOnly: { type: 'tag', values: ${JSON.stringify(AXE_TAGS)} }, resultTypes: ['violations', 'incomplete'] })
      .then((r) => ({ violations: r.violations, incomplete: r.incomplete, passes: r.passes.length + r.inapplicable.length }))`,
  )) as { violations: RawResult[]; incomplete: RawResult[]; passes: number };
  const target = (n: RawNode) => n.target.map(String).join(' ');
  return {
    violations: raw.violations.map((v) => ({
      rule: v.id,
      impact: v.impact ?? 'unknown',
      help: v.help,
      nodes: v.nodes.map((n) => ({ target: target(n), html: n.html.slice(0, 160), summary: (n.failureSummary ?? '').replace(/\s+/g, ' ').trim() })),
    })),
    passes: raw.passes,
    incomplete: raw.incomplete.map((v) => ({ rule: v.id, targets: v.nodes.map(target) })),
  };
}

/** One violation per line group, for an assertion message. */
export function describeViolations(violations: readonly AxeViolation[]): string {
  return violations
    .map((v) => `${v.rule} (${v.impact}): ${v.help}\n${v.nodes.map((n) => `    ${n.target}  ${n.html}\n      ${n.summary}`).join('\n')}`)
    .join('\n');
}
