/* Highlights with the CSS Custom Highlight API: one Highlight per category in CSS.highlights,
 * painted by ::highlight() rules the service worker inserts. Nothing in the page's DOM changes,
 * so layout cannot shift. Also hit-testing for hover tooltips and next/previous navigation. */
"use strict";

(function defineHighlight(global) {
  if (global.SourcelightHighlight) return;
  const C = global.SourcelightConst;
  const U = global.SourcelightUtil;
  const X = global.SourcelightExtract;
  // A pointer this close (px) to a highlighted line box still counts as over it.
  const HIT_SLOP = 1;

  /** The caret (node, offset) under a viewport point, in both Chromium and Firefox. */
  function caretAt(doc, x, y) {
    if (doc.caretPositionFromPoint) {
      const pos = doc.caretPositionFromPoint(x, y);
      return pos && { node: pos.offsetNode, offset: pos.offset };
    }
    if (doc.caretRangeFromPoint) {
      const r = doc.caretRangeFromPoint(x, y);
      return r && { node: r.startContainer, offset: r.startOffset };
    }
    return null;
  }

  function pointInRects(range, x, y) {
    for (const rect of range.getClientRects()) {
      if (x >= rect.left - HIT_SLOP && x <= rect.right + HIT_SLOP &&
          y >= rect.top - HIT_SLOP && y <= rect.bottom + HIT_SLOP) return true;
    }
    return false;
  }

  /** Each mapped node's text at extraction, so painting can tell whether the page changed it since. */
  function snapshot(map) {
    return map.nodes.map((node) => node.data);
  }

  /** True when every live node text[start, end) came from is still in the page with the same text. */
  function intact(map, snap, start, end) {
    let last = -1;
    for (let i = Math.max(0, start); i < Math.min(map.nodeIdx.length, end); i++) {
      const idx = map.nodeIdx[i];
      if (idx < 0 || idx === last) continue; // inserted breaks map to no node
      last = idx;
      const node = map.nodes[idx];
      if (!node.isConnected || node.data !== snap[idx]) return false;
    }
    return true;
  }

  /**
   * @param map   the text->DOM map from SourcelightExtract.extractArticle
   * @param text  the text the spans index into (each span's text is checked against it)
   * @param spans the server's spans
   * @param disabled a Set of category ids switched off
   * @param snap  snapshot(map) taken when the text was extracted; spans over nodes the page has
   *              changed or removed since are counted in `changed`, never painted
   */
  function createHighlighter(map, text, spans, disabled, snap) {
    const doc = map.nodes.length ? map.nodes[0].ownerDocument : global.document;
    const entries = []; // {span, category, range, index}
    const byNode = new Map(); // live text node -> entries touching it
    const skipped = { mismatched: 0, unmapped: 0, unknown: 0 };
    let changed = 0;
    const off = new Set(disabled);
    let focusIndex = -1;

    for (const span of spans) {
      const category = U.categoryOf(span);
      if (!category) {
        skipped.unknown++;
        continue;
      }
      // Offsets that do not reproduce the span's text would highlight the wrong words.
      if (typeof span.text === "string" && text.slice(span.start, span.end) !== span.text) {
        skipped.mismatched++;
        continue;
      }
      if (snap && !intact(map, snap, span.start, span.end)) {
        changed++;
        continue;
      }
      let range;
      try {
        range = X.rangeFor(map, span.start, span.end);
      } catch (_) {
        changed++; // an offset past the end of a node the page shortened (IndexSizeError)
        continue;
      }
      if (!range) {
        skipped.unmapped++;
        continue;
      }
      const entry = { span, category, range, index: entries.length };
      entries.push(entry);
      for (const node of X.nodesFor(map, span.start, span.end)) {
        if (!byNode.has(node)) byNode.set(node, []);
        byNode.get(node).push(entry);
      }
    }
    // Document order, longer first at the same start, so navigation reads like the article.
    const ordered = entries.slice().sort((a, b) => a.span.start - b.span.start || b.span.end - a.span.end);

    function highlightName(category) {
      return C.HIGHLIGHT_PREFIX + category;
    }

    function paint() {
      const groups = new Map();
      for (const e of entries) {
        if (off.has(e.category)) continue;
        if (!groups.has(e.category)) groups.set(e.category, []);
        groups.get(e.category).push(e.range);
      }
      for (const c of C.CATEGORIES) {
        const name = highlightName(c.id);
        const ranges = groups.get(c.id);
        if (!ranges) {
          global.CSS.highlights.delete(name);
          continue;
        }
        const h = new global.Highlight(...ranges);
        h.priority = c.priority;
        global.CSS.highlights.set(name, h);
      }
    }

    function clearFocus() {
      global.CSS.highlights.delete(C.FOCUS_HIGHLIGHT);
    }

    function visible() {
      return ordered.filter((e) => !off.has(e.category));
    }

    /** Scrolls an entry into the middle of the viewport and marks it as the focused finding. */
    function focusEntry(entry) {
      const before = entry.range.getBoundingClientRect();
      const viewport = global.innerHeight || 800;
      if (before.top < viewport * 0.15 || before.bottom > viewport * 0.85) {
        global.scrollBy({ top: before.top - viewport / 3, left: 0, behavior: "instant" });
      }
      const h = new global.Highlight(entry.range);
      h.priority = C.FOCUS_STYLE.priority;
      global.CSS.highlights.set(C.FOCUS_HIGHLIGHT, h);
      focusIndex = ordered.indexOf(entry);
      return entry;
    }

    function step(direction) {
      const list = visible();
      if (!list.length) return null;
      const current = focusIndex >= 0 ? ordered[focusIndex] : null;
      let pos = current ? list.indexOf(current) : -1;
      if (pos === -1 && current) {
        // The focused one was switched off: continue from its place in the article.
        pos = list.findIndex((e) => e.span.start > current.span.start) - (direction > 0 ? 1 : 0);
      }
      const next = pos === -1 && direction < 0 ? list.length - 1 : (pos + direction + list.length) % list.length;
      return focusEntry(list[next]);
    }

    return {
      entries,
      skipped,
      changed,
      apply: paint,
      counts() {
        const counts = new Map();
        for (const e of entries) counts.set(e.category, (counts.get(e.category) || 0) + 1);
        return counts;
      },
      isEnabled: (category) => !off.has(category),
      setEnabled(category, on) {
        if (on) off.delete(category);
        else off.add(category);
        if (!on && focusIndex >= 0 && ordered[focusIndex].category === category) clearFocus();
        paint();
      },
      next: () => step(1),
      previous: () => step(-1),
      focus: focusEntry,
      clearFocus,
      byId(id) {
        return entries.find((e) => e.span.id === id) || null;
      },
      /** The visible entry under a viewport point (most specific one when they overlap). */
      hitTest(x, y) {
        const caret = caretAt(doc, x, y);
        if (!caret || !byNode.has(caret.node)) return null;
        let best = null;
        for (const e of byNode.get(caret.node)) {
          if (off.has(e.category)) continue;
          if (!e.range.isPointInRange(caret.node, caret.offset) || !pointInRects(e.range, x, y)) continue;
          const prio = U.categoryById(e.category).priority;
          const bestPrio = best ? U.categoryById(best.category).priority : -1;
          if (!best || prio > bestPrio ||
              (prio === bestPrio && e.span.end - e.span.start < best.span.end - best.span.start)) best = e;
        }
        return best;
      },
      clear() {
        for (const c of C.CATEGORIES) global.CSS.highlights.delete(highlightName(c.id));
        clearFocus();
      },
    };
  }

  global.SourcelightHighlight = Object.freeze({ createHighlighter, snapshot });
})(globalThis);
