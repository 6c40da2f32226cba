import type { Page } from '@playwright/test';

/**
 * Everything a view draws must be seen whole: this lists the elements that stick out of the
 * viewport sideways, or out of an ancestor that clips or scrolls (overflow other than visible,
 * an <svg> included). Screen-reader-only text (clipped to 1 px on purpose) is left out.
 */
export async function cutElements(
  page: Page,
  root = 'header, nav, main, footer',
): Promise<string[]> {
  return page.evaluate((rootSelector) => {
    const vw = document.documentElement.clientWidth;
    const out: string[] = [];
    const describe = (el: Element) => {
      const id = el.getAttribute('data-testid');
      const cls = typeof el.className === 'string' ? el.className : el.getAttribute('class');
      const text = (el.textContent ?? '').trim().replace(/\s+/g, ' ').slice(0, 40);
      return `<${el.tagName.toLowerCase()}${id ? ` data-testid=${id}` : ''}${cls ? ` .${cls.split(' ')[0]}` : ''}> “${text}”`;
    };
    const hidden = (el: Element) => {
      // Not rendered at all (a closed <details>, display:none on an ancestor, content-visibility).
      if (!el.checkVisibility()) return true;
      const s = getComputedStyle(el);
      return s.visibility === 'hidden' || s.display === 'none' || Number(s.opacity) === 0;
    };
    const srOnly = (el: Element) => {
      for (let a: Element | null = el; a; a = a.parentElement) {
        const s = getComputedStyle(a);
        if (s.position === 'absolute' && (s.clip !== 'auto' || s.clipPath !== 'none')) {
          const r = a.getBoundingClientRect();
          if (r.width <= 2 || r.height <= 2) return true;
        }
      }
      return false;
    };
    const clipsChildren = (a: Element) => {
      const s = getComputedStyle(a);
      return (
        s.overflowX !== 'visible' ||
        a.tagName.toLowerCase() === 'svg' ||
        /paint|content|strict/.test(s.contain)
      );
    };
    const check = (el: Element, r: DOMRect, what: string) => {
      if (r.width < 1 || r.height < 1) return;
      if (r.left < -1 || r.right > vw + 1) {
        out.push(
          `${what} outside the screen (${Math.round(r.left)}–${Math.round(r.right)} of ${vw})`,
        );
        return;
      }
      for (let a: Element | null = el; a && a !== document.body; a = a.parentElement) {
        if (a === el && !(el instanceof SVGElement)) continue;
        if (!clipsChildren(a) || hidden(a)) continue;
        const b = a.getBoundingClientRect();
        if (r.left < b.left - 1 || r.right > b.right + 1) {
          out.push(
            `${what} cut by ${describe(a)} (${Math.round(r.left)}–${Math.round(r.right)} in ${Math.round(b.left)}–${Math.round(b.right)})`,
          );
          return;
        }
      }
    };
    const skip = (el: Element) => hidden(el) || !!el.closest('.katex-mathml') || srOnly(el);
    for (const container of document.querySelectorAll(rootSelector)) {
      // Text as painted (a text node can run past its own element's box).
      const walker = document.createTreeWalker(container, NodeFilter.SHOW_TEXT);
      const range = document.createRange();
      for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        const parent = node.parentElement;
        if (!parent || !(node.textContent ?? '').trim() || skip(parent)) continue;
        if (parent.closest('script, style, title')) continue;
        range.selectNodeContents(node);
        check(parent, range.getBoundingClientRect(), describe(parent));
      }
      // Things drawn without text: canvases, images, controls, chart shapes.
      for (const el of container.querySelectorAll(
        'canvas, img, input, select, button, svg rect, svg circle, svg ellipse',
      )) {
        if (!skip(el)) check(el, el.getBoundingClientRect(), describe(el));
      }
    }
    return out;
  }, root);
}

/**
 * Korean lines break between words: lists text that a line break splits inside a word
 * (유/닛). Each character's box is measured; a new line must start after a space or a sign.
 */
export async function wordsBrokenMidWord(
  page: Page,
  root = 'header, nav, main, footer',
): Promise<string[]> {
  return page.evaluate((rootSelector) => {
    const out: string[] = [];
    const word = /[\p{L}\p{N}]/u;
    const range = document.createRange();
    for (const container of document.querySelectorAll(rootSelector)) {
      const walker = document.createTreeWalker(container, NodeFilter.SHOW_TEXT);
      for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        const text = node.textContent ?? '';
        const parent = node.parentElement;
        if (!parent || text.trim().length < 2 || parent.closest('svg, .katex, script, style'))
          continue;
        if (!parent.checkVisibility()) continue; // a closed <details> lays out nothing to read
        let prevTop: number | null = null;
        for (let k = 0; k < text.length; k++) {
          range.setStart(node, k);
          range.setEnd(node, k + 1);
          const rect = range.getClientRects()[0];
          if (!rect || rect.width === 0) continue;
          if (prevTop !== null && rect.top > prevTop + rect.height / 2) {
            const before = text[k - 1] ?? '';
            if (word.test(before) && word.test(text[k]) && /[\uac00-\ud7a3]/.test(before + text[k]))
              out.push(
                `“${text.slice(Math.max(0, k - 6), k)}/${text.slice(k, k + 6)}” in <${parent.tagName.toLowerCase()}>`,
              );
          }
          prevTop = rect.top;
        }
      }
    }
    return out;
  }, root);
}
