/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
// An automated accessibility check run inside the page: every visible interactive element has an accessible name,
// no two elements share an id, every image has alt text, and visible text meets WCAG AA contrast (4.5:1, or 3:1 for
// large text) computed from the computed styles (colour over the nearest opaque background, alpha composited).
// Not a replacement for axe; it catches the mistakes that slip into a hand-built UI.
import type { Page } from 'playwright-core';

export interface A11yProblem {
  rule: 'name' | 'duplicate-id' | 'img-alt' | 'contrast';
  what: string;
}

export async function checkAccessibility(page: Page): Promise<{ problems: A11yProblem[]; checkedText: number; checkedControls: number }> {
  // tsx (esbuild, keepNames) wraps named functions in a `__name(fn, "name")` helper that exists only in Node; the
  // page needs an identity stand-in before the serialised function below runs there.
  await page.evaluate('globalThis.__name ??= (fn) => fn');
  return page.evaluate(() => {
    const problems: { rule: 'name' | 'duplicate-id' | 'img-alt' | 'contrast'; what: string }[] = [];
    const describe = (el: Element) => {
      const tid = el.getAttribute('data-testid');
      const id = el.id ? `#${el.id}` : '';
      return `<${el.tagName.toLowerCase()}${id}${tid ? ` [data-testid=${tid}]` : ''}> "${(el.textContent ?? '').trim().slice(0, 40)}"`;
    };
    const visible = (el: Element) => {
      const r = el.getBoundingClientRect();
      if (r.width <= 1 || r.height <= 1) return false;
      const cs = getComputedStyle(el);
      return cs.visibility !== 'hidden' && cs.display !== 'none';
    };

    // 1. Accessible names of interactive elements.
    const text = (id: string) => document.getElementById(id)?.textContent?.trim() ?? '';
    const nameOf = (el: HTMLElement): string => {
      const aria = el.getAttribute('aria-label')?.trim();
      if (aria) return aria;
      const by = el.getAttribute('aria-labelledby');
      if (by) return by.split(/\s+/).map(text).join(' ').trim();
      if (el instanceof HTMLInputElement || el instanceof HTMLSelectElement || el instanceof HTMLTextAreaElement) {
        const labels = el.labels
          ? [...el.labels]
              .map((l) => l.textContent?.trim() ?? '')
              .join(' ')
              .trim()
          : '';
        if (labels) return labels;
        return el.getAttribute('title')?.trim() ?? '';
      }
      const own = (el.textContent ?? '').trim();
      if (own) return own;
      const img = el.querySelector('img[alt]');
      return img?.getAttribute('alt')?.trim() || el.getAttribute('title')?.trim() || '';
    };
    const controls = [
      ...document.querySelectorAll<HTMLElement>(
        'a[href], button, input:not([type=hidden]), select, textarea, summary, [role=button], [role=tab], [tabindex]:not([tabindex="-1"])',
      ),
    ].filter(visible);
    for (const el of controls) if (!nameOf(el)) problems.push({ rule: 'name', what: describe(el) });

    // 2. Duplicate ids.
    const seen = new Map<string, number>();
    for (const el of document.querySelectorAll('[id]')) seen.set(el.id, (seen.get(el.id) ?? 0) + 1);
    for (const [id, n] of seen) if (n > 1) problems.push({ rule: 'duplicate-id', what: `#${id} × ${n}` });

    // 3. Images have alt text (decorative images may say alt="" explicitly).
    for (const img of document.querySelectorAll('img')) if (!img.hasAttribute('alt')) problems.push({ rule: 'img-alt', what: describe(img) });

    // 4. Contrast of visible text.
    type RGBA = [number, number, number, number];
    const parse = (c: string): RGBA => {
      const m = /rgba?\(([^)]+)\)/.exec(c);
      if (!m) return [0, 0, 0, 0];
      const p = (m[1] as string)
        .split(/[\s,/]+/)
        .filter(Boolean)
        .map(Number);
      return [p[0] ?? 0, p[1] ?? 0, p[2] ?? 0, p[3] ?? 1];
    };
    const over = (top: RGBA, bottom: RGBA): RGBA => {
      const a = top[3] + bottom[3] * (1 - top[3]);
      if (a === 0) return [0, 0, 0, 0];
      const mix = (i: number) => (top[i]! * top[3] + bottom[i]! * bottom[3] * (1 - top[3])) / a;
      return [mix(0), mix(1), mix(2), a];
    };
    const background = (el: Element | null): RGBA => {
      const layers: RGBA[] = [];
      for (let e = el; e; e = e.parentElement) {
        const bg = parse(getComputedStyle(e).backgroundColor);
        if (bg[3] > 0) layers.push(bg);
        if (bg[3] >= 1) break;
      }
      let acc: RGBA = [255, 255, 255, 1];
      for (const l of layers.reverse()) acc = over(l, acc);
      return acc;
    };
    const lum = (c: RGBA) => {
      const ch = (v: number) => {
        const s = v / 255;
        return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
      };
      return 0.2126 * ch(c[0]) + 0.7152 * ch(c[1]) + 0.0722 * ch(c[2]);
    };
    let checkedText = 0;
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    const parents = new Set<Element>();
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      if (!n.textContent?.trim()) continue;
      const p = n.parentElement;
      if (!p || p.closest('svg') || p.closest('.visually-hidden') || p.closest('option')) continue;
      parents.add(p);
    }
    for (const el of parents) {
      if (!visible(el)) continue;
      const cs = getComputedStyle(el);
      if (el.closest('button:disabled, input:disabled, select:disabled, fieldset:disabled')) continue; // WCAG 1.4.3 exempts inactive controls
      const bg = background(el);
      const fg = over(parse(cs.color), bg);
      const l1 = lum(fg);
      const l2 = lum(bg);
      const ratio = (Math.max(l1, l2) + 0.05) / (Math.min(l1, l2) + 0.05);
      const size = parseFloat(cs.fontSize);
      const bold = Number(cs.fontWeight) >= 700;
      const large = size >= 24 || (bold && size >= 18.66);
      checkedText++;
      if (ratio < (large ? 3 : 4.5))
        problems.push({ rule: 'contrast', what: `${describe(el)} ${ratio.toFixed(2)}:1 (${cs.color} on rgb(${bg.slice(0, 3).map(Math.round).join(',')}))` });
    }
    return { problems, checkedText, checkedControls: controls.length };
  });
}
