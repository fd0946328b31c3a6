/* Scores what the extension sent and painted against "the marked story" of a page
 * (tests/e2e/story_marks.json). Runs in the page's main world; knows nothing of extract.js.
 *
 * The marked story: text under any `story` selector, minus text under an `exclude` selector,
 * minus elements whose squashed text hashes (FNV-1a, 8 hex digits) to one of `exclude_hashes`,
 * minus script/style and text the browser does not render. Words are runs of letters and
 * digits, lower-cased, compared as multisets. */
(marks) => {
  const squash = (t) => String(t || "").replace(/\s+/g, " ").trim();
  const words = (t) => String(t || "").toLowerCase().match(/[\p{L}\p{N}]+/gu) || [];
  function fnv(text) {
    let h = 0x811c9dc5;
    for (let i = 0; i < text.length; i++) {
      h ^= text.charCodeAt(i);
      h = Math.imul(h, 0x01000193) >>> 0;
    }
    return h.toString(16).padStart(8, "0");
  }

  const roots = [];
  for (const sel of marks.story) roots.push(...document.querySelectorAll(sel));
  const excluded = new Set();
  for (const root of roots) {
    for (const sel of marks.exclude || []) root.querySelectorAll(sel).forEach((e) => excluded.add(e));
    const hashes = new Set(marks.exclude_hashes || []);
    if (hashes.size) {
      for (const el of root.querySelectorAll("*")) if (hashes.has(fnv(squash(el.textContent)))) excluded.add(el);
    }
  }
  const inExcluded = (el) => {
    for (let e = el; e; e = e.parentElement) if (excluded.has(e)) return true;
    return false;
  };
  // Not rendered: hidden by an element inside the story root. (A page that hides its whole body
  // until its scripts run, which are blocked in tests, still shows the reader its story.)
  const rendered = (el, root) => root.checkVisibility({ visibilityProperty: true, opacityProperty: true })
    ? el.checkVisibility({ visibilityProperty: true, opacityProperty: true })
    : el.getClientRects().length > 0;
  // Words run across inline elements ("<span>Z</span>imbabwe"); any other element separates them.
  const INLINE = /^(a|abbr|b|bdi|bdo|cite|code|data|dfn|em|font|i|kbd|mark|q|s|samp|small|span|strong|sub|sup|time|u|var)$/;
  const storyNodes = new Set();
  let storyText = "";
  for (const root of roots) {
    const walker = document.createTreeWalker(root, NodeFilter.SHOW_ELEMENT | NodeFilter.SHOW_TEXT);
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      if (n.nodeType === Node.ELEMENT_NODE) {
        if (!INLINE.test(n.localName)) storyText += " ";
        continue;
      }
      const p = n.parentElement;
      if (storyNodes.has(n) || !p || p.closest("script, style, noscript, template, svg") || inExcluded(p) || !rendered(p, root)) {
        storyText += " ";
        continue;
      }
      storyNodes.add(n);
      storyText += n.data;
    }
    storyText += " ";
  }
  const storyWords = words(storyText);

  /** Words of `a` also in `b` (as multisets), and a few of those missing from `b`. */
  function overlap(a, b) {
    const count = new Map();
    for (const w of b) count.set(w, (count.get(w) || 0) + 1);
    let common = 0;
    const missing = [];
    for (const w of a) {
      const c = count.get(w);
      if (c) {
        common++;
        count.set(w, c - 1);
      } else if (missing.length < 30) missing.push(w);
    }
    return { common, missing };
  }

  const result = { storyWords: storyWords.length, roots: roots.length };
  if (typeof marks.sent === "string") {
    const sent = words(marks.sent);
    const { common, missing } = overlap(storyWords, sent);
    result.missing = missing;
    result.sentWords = sent.length;
    result.recall = storyWords.length ? common / storyWords.length : 0;
    result.precision = sent.length ? common / sent.length : 0;
    result.f1 = result.recall + result.precision ? (2 * result.recall * result.precision) / (result.recall + result.precision) : 0;
  }
  // Every painted range (the focus highlight aside) must start and end in marked story text.
  const outside = [];
  let painted = 0;
  for (const [name, highlight] of CSS.highlights) {
    if (name === "sourcelight-focus") continue;
    for (const r of highlight) {
      painted++;
      if (!storyNodes.has(r.startContainer) || !storyNodes.has(r.endContainer)) outside.push({ name, text: r.toString().slice(0, 80) });
    }
  }
  result.painted = painted;
  result.outside = outside;
  return result;
}
