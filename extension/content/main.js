/* Content-script entry: extract -> ask the service worker to analyse -> highlight + panel.
 * The network is never touched from here; the service worker does that. */
"use strict";

(function defineContent(global) {
  if (global.SourcelightContent) return;
  const C = global.SourcelightConst;
  const U = global.SourcelightUtil;
  const X = global.SourcelightExtract;
  const H = global.SourcelightHighlight;
  const O = global.SourcelightOverlay;
  const SEL = global.SourcelightSelection;

  let session = null; // {overlay, highlighter, listeners, ...} while Sourcelight is on the page
  let running = null; // the request being analysed: {} for the page, {ranges} for a selection

  /** What to tell the reader for an error reported by the service worker. */
  function describeProblem(error) {
    const code = error.code ? ` ${error.code}` : "";
    const said = error.message ? [`The server said: ${error.message}`] : [];
    switch (error.kind) {
      case "unreachable":
        return { title: "The Sourcelight server is not running", retry: true,
          detail: [`Nothing answered at ${error.serverUrl}.`], command: [C.START_COMMAND, C.START_COMMAND_ALT] };
      case "timeout":
        return { title: "The Sourcelight server did not answer in time", retry: true,
          detail: [`No reply from ${error.serverUrl} after ${Math.round(C.ANALYZE_TIMEOUT_MS / 1000)} s.`] };
      case "bad_url":
        return { title: "The server address is not allowed",
          detail: [`"${error.serverUrl}" is not a local http address; set one in the extension's options.`] };
      case "bad_response":
        return { title: "The server's answer could not be read", retry: true, detail: [error.message] };
      case "connection_lost":
        return { title: "The server failed while analysing this article", retry: true,
          detail: [`The connection to ${error.serverUrl} was lost during the analysis, and again when it was tried once more.`,
            "The server itself is running (it answers its health check): its worker process may have crashed or been restarted. Its log says why."] };
      case "stalled":
        return { title: "Sourcelight gave up waiting", retry: true,
          detail: [`${error.what} did not answer within ${Math.round(error.ms / 1000)} s.`] };
      case "http":
        break;
      default:
        return { title: "Something went wrong", retry: true, detail: [String(error.message || error.kind)] };
    }
    const status = `(HTTP ${error.status}${code})`;
    if (error.status === 422 && error.code === "unsupported_language") {
      // Not a failure: the server judges English articles only; its message names the language.
      return { notice: true, title: error.message || "Sourcelight reads English articles only.",
        detail: ["No grade and no highlights: the analysis uses an English language model, which cannot judge how an article in another language is sourced."] };
    }
    if (error.status === 413) {
      return { title: "The server refused this article: it is too long", detail: [...said, status,
        "The server's size limit can be raised with --max-text-chars / --max-body-bytes."] };
    }
    if (error.status === 403) {
      return { title: "The server refused requests from this extension", detail: [...said, status,
        "Start the server without --allowed-extension-ids, or include this extension's id."] };
    }
    if (error.status === 503 && error.code === "time_budget_exceeded") {
      return { title: "This text took too long to analyse", detail: [...said, status,
        "Select the passage you want and use “Analyse selected text” (right-click menu or Alt+Shift+S)."] };
    }
    if (error.status === 503 && error.code === "busy") {
      return { title: "The Sourcelight server is busy with other analyses", retry: true, detail: [...said, status] };
    }
    if (error.status >= 500) {
      return { title: "The server failed while analysing this article", retry: true, detail: [...said, status] };
    }
    return { title: "The server refused the request", detail: [...said, status] };
  }

  function teardown() {
    if (!session) return;
    for (const [target, type, fn, opts] of session.listeners) target.removeEventListener(type, fn, opts);
    if (session.highlighter) session.highlighter.clear();
    session.overlay.destroy();
    session = null;
  }

  function isEditable(target) {
    return target instanceof Element &&
      (target.isContentEditable || /^(input|textarea|select)$/i.test(target.localName));
  }

  /** The client rect of a range the pointer is over, else its first line. */
  function rectFor(range, x, y) {
    const rects = Array.from(range.getClientRects());
    if (x !== undefined) {
      const hit = rects.find((r) => x >= r.left && x <= r.right && y >= r.top && y <= r.bottom);
      if (hit) return hit;
    }
    return rects[0] || range.getBoundingClientRect();
  }

  function listen(target, type, fn, opts) {
    target.addEventListener(type, fn, opts);
    session.listeners.push([target, type, fn, opts]);
  }

  function showFocused(entry) {
    if (!entry) return;
    session.tip = { entry, mode: "focus" };
    session.overlay.showTooltip(entry, rectFor(entry.range));
    const name = U.categoryById(entry.category).name;
    session.overlay.announce(`${name}: ${entry.span.text}. ${entry.span.why || ""}`);
  }

  function wireInteractions() {
    const s = session;
    let frame = 0;
    let lastMove = null;
    listen(global.document, "mousemove", (event) => {
      lastMove = event;
      if (frame) return;
      frame = global.requestAnimationFrame(() => {
        frame = 0;
        if (!session || !lastMove) return;
        if (s.overlay.contains(lastMove.target)) return;
        const hit = s.highlighter.hitTest(lastMove.clientX, lastMove.clientY);
        if (hit) {
          if (!s.tip || s.tip.entry !== hit || s.tip.mode !== "hover") {
            s.tip = { entry: hit, mode: "hover" };
            s.overlay.showTooltip(hit, rectFor(hit.range, lastMove.clientX, lastMove.clientY));
          }
        } else if (s.tip && s.tip.mode === "hover") {
          s.tip = null;
          s.overlay.hideTooltip();
        }
      });
    }, { passive: true });
    listen(global, "scroll", () => {
      if (!s.tip) return;
      if (s.tip.mode === "focus") s.overlay.showTooltip(s.tip.entry, rectFor(s.tip.entry.range));
      else {
        s.tip = null;
        s.overlay.hideTooltip();
      }
    }, { passive: true, capture: true });
    listen(global, "keydown", (event) => {
      if (event.key === "Escape") {
        if (s.overlay.tooltipShown()) {
          s.tip = null;
          s.overlay.hideTooltip();
          s.highlighter.clearFocus();
        } else {
          teardown();
        }
        return;
      }
      const nav = event.altKey && event.shiftKey && !event.ctrlKey && !event.metaKey &&
        (event.code === C.NEXT_KEY_CODE || event.code === C.PREV_KEY_CODE);
      if (!nav || (isEditable(event.target) && !s.overlay.contains(event.target))) return;
      event.preventDefault();
      event.stopPropagation();
      showFocused(event.code === C.NEXT_KEY_CODE ? s.highlighter.next() : s.highlighter.previous());
    }, { capture: true });
  }

  /** request: {} analyses the page's article; {ranges} the text of those (selected) ranges. */
  async function analyse(request = {}) {
    if (running && !request.ranges) return; // the page is being analysed already
    const mine = (running = request); // a selection replaces whatever runs (run() tears it down)
    try {
      await run(request);
    } finally {
      if (running === mine) running = null;
    }
  }

  /** The body of POST /api/v1/analyze; `page` only when the page declared anything. */
  function requestBody(article) {
    const body = { text: article.text, title: article.title, url: article.url, links: article.links, offsets: "utf16" };
    if (article.page && Object.keys(article.page).length) body.page = article.page;
    if (article.captions && article.captions.length) body.captions = article.captions; // never part of `text`
    return body;
  }

  /** `promise`, or a {kind: "stalled"} rejection after `ms`: no panel state outlives the timeout. */
  function withDeadline(promise, ms, what) {
    let timer;
    const late = new Promise((_, reject) => {
      timer = setTimeout(() => reject({ kind: "stalled", what, ms }), ms);
    });
    return Promise.race([promise, late]).finally(() => clearTimeout(timer));
  }

  /** The selection's text, or null after saying in the panel that there is none. */
  function readSelection(s, ranges) {
    const article = ranges.length ? SEL.extractSelection(global.document, ranges) : null;
    if (!article || !article.words) {
      s.overlay.showError({ title: "No text is selected", detail: [
        "Select the passage to analyse, then choose \u201cAnalyse selected text\u201d from the right-click menu " +
        "or press the shortcut (Alt+Shift+S unless changed in the browser's extension shortcuts)."] });
      return null;
    }
    return article;
  }

  /** The article, or null after saying in the panel why there is nothing to analyse. */
  function readArticle(s) {
    let article;
    try {
      article = X.extractArticle(global.document);
    } catch (err) {
      s.overlay.showError({ title: "The article could not be read from this page", detail: [String(err)] });
      return null;
    }
    if (!article || !article.text.trim()) {
      s.overlay.showError({ title: "No article found on this page",
        detail: ["Sourcelight analyses news articles; open the article itself, not a list or front page."] });
      return null;
    }
    if (article.notArticle) { // a home or section page: a list of links, not a story to grade
      s.overlay.showError({ title: "This page is not an article", detail: [article.notArticle] });
      return null;
    }
    if (article.words < C.MIN_ARTICLE_WORDS) {
      s.overlay.showError({ title: "Too little text to analyse",
        detail: [`The article has ${article.words} words; at least ${C.MIN_ARTICLE_WORDS} are needed to judge its sourcing.`] });
      return null;
    }
    return article;
  }

  /** Settings, or the defaults when storage does not answer in time (the panel must still open). */
  function readSettings() {
    return withDeadline(chrome.storage.local.get(C.STORAGE_DEFAULTS), C.HEALTH_TIMEOUT_MS, "Storage")
      .catch(() => ({ ...C.STORAGE_DEFAULTS }));
  }

  async function run(request) {
    const started = performance.now();
    const settings = await readSettings();
    teardown(); // after the wait: a run started meanwhile is replaced, never left beside this one
    session = { listeners: [], highlighter: null, tip: null, cursor: new Map() };
    const s = session;
    s.overlay = O.createOverlay({
      view: settings.panelView,
      onView(view) {
        chrome.storage.local.set({ panelView: view }).catch(() => {});
      },
      onDock(on) {
        chrome.runtime.sendMessage({ type: C.MSG.SET_DOCK, on }).catch(() => {});
      },
      onClose: teardown,
      onRetry: () => analyse(request),
      onNext: () => s.highlighter && showFocused(s.highlighter.next()),
      onPrevious: () => s.highlighter && showFocused(s.highlighter.previous()),
      onToggle(category, on) {
        s.highlighter.setEnabled(category, on);
        if (s.tip && s.tip.entry.category === category && !on) {
          s.tip = null;
          s.overlay.hideTooltip();
        }
      },
      onSource(source, mentions) {
        if (!mentions.length) return;
        // Each click moves to the source's next mention.
        const i = ((s.cursor.get(source.id) ?? -1) + 1) % mentions.length;
        s.cursor.set(source.id, i);
        const entry = s.highlighter.byId(mentions[i]);
        if (entry) showFocused(s.highlighter.focus(entry));
      },
    });
    listenEscapeEarly(s);
    try {
      await analyseInto(s, request, settings, started);
    } catch (err) {
      // Never a silent hang: whatever went wrong ends in an error card.
      if (session !== s) return;
      s.overlay.showError(err && err.kind ? describeProblem(err)
        : { title: "Sourcelight stopped because of an error", retry: true, detail: [String((err && err.message) || err)] });
    }
  }

  async function analyseInto(s, request, settings, started) {
    const selection = Boolean(request.ranges);
    const waitMs = C.ANALYZE_TIMEOUT_MS + C.WATCHDOG_GRACE_MS;
    const css = withDeadline(chrome.runtime.sendMessage({ type: C.MSG.INSERT_HIGHLIGHT_CSS }), waitMs,
      "The extension's background script").catch((err) => ({ ok: false, error: err }));
    for (let attempt = 0; ; attempt++) {
      const article = selection ? readSelection(s, request.ranges) : readArticle(s);
      if (!article) return;
      s.overlay.showProgress(article.words, { again: attempt > 0, selection });
      const snap = H.snapshot(article.map);
      const reply = await withDeadline(chrome.runtime.sendMessage({ type: C.MSG.ANALYZE_TEXT, payload: requestBody(article) }),
        waitMs, "The extension's background script");
      if (session !== s) return; // closed while waiting
      if (!reply || !reply.ok) {
        s.overlay.showError(describeProblem((reply && reply.error) || { kind: "unknown", message: "No reply from the extension." }));
        return;
      }
      const data = reply.data;
      const disabled = C.CATEGORIES.map((c) => c.id).filter((id) => !U.isCategoryOn(settings.categories, id));
      const highlighter = H.createHighlighter(article.map, article.text, data.spans || [], disabled, snap);
      // The page changed the article while the server worked: read it again and ask once more.
      if (highlighter.changed && attempt < C.REANALYSE_ON_CHANGE) continue;
      const cssReply = await css;
      if (session !== s) return;
      s.highlighter = highlighter;
      s.highlighter.apply();
      // The selection is painted over the highlights: once they are in, it has done its job.
      const picked = selection && global.getSelection();
      if (picked && picked.rangeCount) picked.collapseToEnd();
      s.overlay.showResult({
        data,
        counts: s.highlighter.counts(),
        isEnabled: s.highlighter.isEnabled,
        hasMention: (id) => Boolean(s.highlighter.byId(id)),
        skipped: s.highlighter.skipped,
        changed: s.highlighter.changed,
        cssProblem: cssReply && cssReply.ok ? "" : String((cssReply && cssReply.error && cssReply.error.message) || "no reply"),
        words: article.words,
        selection,
        elapsedMs: performance.now() - started,
      });
      wireInteractions();
      return;
    }
  }

  /** Esc works while the server is still working too (the full key handling comes with results). */
  function listenEscapeEarly(s) {
    listen(global, "keydown", (event) => {
      if (event.key === "Escape" && !s.highlighter && session === s) teardown();
    }, { capture: true });
  }

  chrome.runtime.onMessage.addListener((message) => {
    if (!message || message.type !== C.MSG.START) return false;
    // The selection is copied at once: the panel (or the reader) may change it later.
    analyse(message.selection ? { ranges: SEL.selectedRanges(global.document) } : {});
    return false;
  });

  global.SourcelightContent = Object.freeze({ analyse });
})(globalThis);
