/* The summary panel and the tooltip, inside a CLOSED shadow root: page CSS and scripts cannot
 * reach in and our CSS cannot leak out. Every string from the page or the server goes in with
 * textContent; no HTML is ever parsed here. */
"use strict";

(function defineOverlay(global) {
  if (global.SourcelightOverlay) return;
  const C = global.SourcelightConst;
  const U = global.SourcelightUtil;
  // The host is a plain <div>: a page can pre-register a custom element name (and so receive the
  // host, watch it, or attach its own shadow root first), but it cannot turn a div created here into
  // anything else. It is marked with this attribute only so tests can find it.
  const HOST_ATTRIBUTE = "data-sourcelight";
  const MINUS = "\u2212";
  const QUOTE_MAX = 110;
  const ALIASES_SHOWN = 3;
  const ALIAS_MAX = 48;
  const PANEL_CSS = `
    :host { all: initial; }
    * { box-sizing: border-box; }
    .panel { position: fixed; top: 16px; right: 16px; width: 340px; max-height: calc(100vh - 32px);
      display: flex; flex-direction: column; background: #fff; color: #202124;
      font: 13px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif;
      border: 1px solid #c4c7c5; border-radius: 10px; box-shadow: 0 6px 24px rgba(0,0,0,.18); }
    .panel[hidden], [hidden] { display: none !important; }
    .panel.docked { top: 0; right: 0; bottom: 0; width: ${C.DOCK_WIDTH_PX}px; max-height: none;
      border-radius: 0; border-width: 0 0 0 1px; box-shadow: -2px 0 12px rgba(0,0,0,.12); }
    .badge { position: fixed; top: 16px; right: 16px; display: flex; align-items: center; gap: 7px;
      height: 30px; padding: 0 5px 0 11px; background: #fff; color: #202124; border: 1px solid #c4c7c5;
      border-radius: 999px; box-shadow: 0 3px 12px rgba(0,0,0,.2);
      font: 600 13px/1 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; }
    .badge:hover { background: #f1f3f4; }
    .badge-status { display: flex; align-items: center; gap: 5px; font-weight: 400; color: #5f6368; }
    .badge-grade { color: #fff; font-weight: 700; border-radius: 999px; padding: 4px 8px; font-size: 12px; }
    .badge-score { color: #202124; font-weight: 700; font-variant-numeric: tabular-nums; padding-right: 4px; }
    .badge-problem { color: #b00020; font-weight: 700; padding-right: 6px; }
    .spinner { width: 11px; height: 11px; border-radius: 50%; border: 2px solid #1a73e8;
      border-right-color: transparent; animation: spin .8s linear infinite; }
    .badge-status .spinner { margin-right: 6px; }
    @keyframes spin { to { transform: rotate(360deg); } }
    header { display: flex; align-items: center; gap: 8px; padding: 8px 10px;
      border-bottom: 1px solid #e3e3e3; }
    .title { font-weight: 700; font-size: 14px; flex: 1; }
    .grade { font-weight: 700; color: #fff; border-radius: 999px; padding: 1px 9px; font-size: 12px; }
    button { font: inherit; color: inherit; cursor: pointer; }
    header button { border: 1px solid #c4c7c5; background: #f8f9fa; border-radius: 6px;
      min-width: 26px; height: 26px; padding: 0 6px; }
    button:focus-visible, input:focus-visible { outline: 2px solid #1a73e8; outline-offset: 1px; }
    .body { overflow: auto; padding: 10px 12px 12px; }
    section { margin: 0 0 12px; }
    h2 { font-size: 12px; text-transform: uppercase; letter-spacing: .04em; color: #5f6368;
      margin: 0 0 6px; }
    .status { margin: 0 0 10px; }
    .status p { margin: 0 0 6px; }
    .progress { height: 4px; background: #e8eaed; border-radius: 2px; overflow: hidden; }
    .progress > div { width: 40%; height: 100%; background: #1a73e8;
      animation: slide 1.1s ease-in-out infinite; }
    @keyframes slide { from { transform: translateX(-100%); } to { transform: translateX(250%); } }
    .error { border-left: 4px solid #b00020; padding: 6px 8px; background: #fdecee; }
    .error strong, .notice strong { display: block; margin-bottom: 4px; }
    .notice { border-left: 4px solid #5f6368; padding: 6px 8px; background: #f1f3f4; }
    code { white-space: nowrap; font: 12px ui-monospace, SFMono-Regular, Menlo, monospace; background: #f1f3f4;
      padding: 1px 4px; border-radius: 4px; }
    .score { font-size: 22px; font-weight: 700; margin: 0; }
    .headline { margin: 2px 0 6px; }
    ul, ol { margin: 0; padding: 0; list-style: none; }
    .reasons li { display: flex; gap: 8px; padding: 2px 0; }
    .effect { font-variant-numeric: tabular-nums; min-width: 34px; text-align: right; font-weight: 700; }
    .effect.neg { color: #b00020; } .effect.pos { color: #137333; }
    dl { display: grid; grid-template-columns: 1fr auto; gap: 1px 12px; margin: 0; }
    dt { color: #3c4043; } dd { margin: 0; text-align: right; font-variant-numeric: tabular-nums; }
    .legend li label { display: flex; align-items: center; gap: 6px; padding: 2px 0; cursor: pointer; }
    .swatch { width: 14px; height: 14px; border-radius: 3px; border: 1px solid rgba(0,0,0,.25);
      flex: none; }
    .count { margin-left: auto; color: #5f6368; font-variant-numeric: tabular-nums; }
    .who > li { margin: 0 0 6px; }
    .who button.source { display: flex; width: 100%; align-items: center; gap: 6px; text-align: left;
      border: 1px solid #dadce0; border-radius: 6px; background: #fff; padding: 3px 6px; }
    .who button.source:hover { background: #f1f3f4; }
    .name { font-weight: 600; }
    .chip { font-size: 11px; border-radius: 4px; padding: 0 5px; border: 1px solid rgba(0,0,0,.2); }
    .claims { padding-left: 10px; color: #3c4043; }
    .claims li { padding: 1px 0; }
    .nav { display: flex; gap: 6px; align-items: center; flex-wrap: wrap; }
    .nav button { border: 1px solid #c4c7c5; background: #f8f9fa; border-radius: 6px; padding: 2px 8px; }
    .genre { border-left: 4px solid #1a56c4; background: #eef3fd; padding: 5px 8px; margin: 0 0 10px;
      border-radius: 0 6px 6px 0; }
    .genre[data-genre="satire"] { border-left-color: #7b3fb0; background: #f4edfa; }
    .genre p { margin: 0; }
    .genre .why { color: #5f6368; font-size: 12px; margin-top: 2px; }
    .who-label { display: flex; flex-wrap: wrap; align-items: center; gap: 2px 6px; flex: 1; min-width: 0; }
    .who .count { align-self: flex-start; white-space: nowrap; }
    .role { font-size: 11px; border-radius: 4px; padding: 0 5px; color: #7a4100; background: #fef3e0;
      border: 1px solid #f0b25a; }
    .role.independent { color: #0d652d; background: #e6f4ea; border: 1px solid #81c995; }
    .aliases { color: #5f6368; font-size: 12px; margin: 2px 0 0 10px; }
    .limits { border-top: 1px solid #e3e3e3; padding-top: 6px; }
    .hint, .meta, .warn { color: #5f6368; font-size: 12px; margin: 6px 0 0; }
    .warn { color: #a05a00; }
    .tooltip { position: fixed; max-width: 320px; background: #202124; color: #fff;
      font: 13px/1.4 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif;
      padding: 7px 9px; border-radius: 7px; box-shadow: 0 4px 14px rgba(0,0,0,.3);
      pointer-events: none; z-index: 1; }
    .tooltip .kind { display: flex; align-items: center; gap: 6px; font-weight: 700; }
    .tooltip .quoted { font-style: italic; margin: 2px 0; }
    .sr-only { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); }
  `;

  /** createElement + textContent only. */
  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (v === null || v === undefined || v === false) continue;
      if (k === "className") node.className = v;
      else if (k === "text") node.textContent = String(v);
      else node.setAttribute(k, v === true ? "" : String(v));
    }
    for (const child of children) {
      if (child === null || child === undefined) continue;
      node.append(typeof child === "string" ? document.createTextNode(child) : child);
    }
    return node;
  }

  function clip(text, max = QUOTE_MAX) {
    const t = String(text || "").replace(/\s+/g, " ").trim();
    return t.length > max ? t.slice(0, max - 1) + "\u2026" : t;
  }

  /** Said words in quote marks, unless they come with their own. */
  function quoted(text) {
    const t = clip(text);
    return /^["\u201c\u201e\u00ab\u2018']/.test(t) ? t : "\u201c" + t + "\u201d";
  }

  function signed(n) {
    if (n > 0) return "+" + n;
    if (n < 0) return MINUS + Math.abs(n);
    return "0";
  }

  function swatch(category) {
    const c = U.categoryById(category);
    const s = el("span", { className: "swatch", "aria-hidden": "true" });
    s.style.background = c.background === "transparent" ? "#fff" : c.background;
    if (c.decoration !== "none") s.style.borderBottom = "3px " + c.decoration.split(" ").slice(1, 3).reverse().join(" ");
    return s;
  }

  function typeName(sourceType) {
    const c = U.categoryById("source-" + sourceType) || U.categoryById("source-other");
    return c.name;
  }

  function seconds(ms) {
    return ms < 1000 ? Math.round(ms) + " ms" : (ms / 1000).toFixed(2) + " s";
  }

  /**
   * handlers: onClose, onToggle(category, on), onNext, onPrevious, onSource(source), onRetry,
   * view (how to open: one of C.PANEL_VIEWS), onView(view) (the reader chose it), onDock(on)
   */
  function createOverlay(handlers) {
    const host = document.createElement("div");
    host.setAttribute(HOST_ATTRIBUTE, "");
    // Inline !important wins over page rules aimed at the host element itself.
    for (const [prop, value] of [["all", "initial"], ["position", "fixed"], ["top", "0"], ["left", "0"],
      ["width", "0"], ["height", "0"], ["z-index", "2147483647"], ["display", "block"]]) {
      host.style.setProperty(prop, value, "important");
    }
    // Attached before the host is in the page: no page script can have touched it yet.
    const root = host.attachShadow({ mode: "closed" });
    root.append(el("style", { text: PANEL_CSS }));

    const grade = el("span", { className: "grade", hidden: true });
    const collapse = el("button", { type: "button", className: "collapse", "aria-controls": "sourcelight-panel",
      "aria-expanded": "true", "aria-label": "Collapse to a badge", title: "Collapse to a badge", text: "\u2013" });
    const dock = el("button", { type: "button", className: "dock" });
    const close = el("button", { type: "button", "aria-label": "Close Sourcelight (Esc)", title: "Close (Esc)", text: "\u00d7" });
    const status = el("div", { className: "status", role: "status", "aria-live": "polite" });
    const content = el("div", { className: "content" });
    const body = el("div", { className: "body" }, status, content);
    const panel = el("aside", { className: "panel", id: "sourcelight-panel", "aria-label": "Sourcelight: how this article is sourced" },
      el("header", null, el("span", { className: "title", text: "Sourcelight" }), grade, collapse, dock, close), body);
    // Collapsed, the panel is this badge: the grade in a corner, the story uncovered.
    const badgeStatus = el("span", { className: "badge-status" });
    const badge = el("button", { type: "button", className: "badge", "aria-controls": "sourcelight-panel",
      "aria-expanded": "false" }, el("span", { text: "Sourcelight" }), badgeStatus);
    const tooltip = el("div", { className: "tooltip", role: "tooltip", hidden: true });
    const live = el("div", { className: "sr-only", "aria-live": "polite" });
    root.append(badge, panel, tooltip, live);

    let view = null; // one of C.PANEL_VIEWS
    let docked = false;

    /** Shows the panel as `next`; `remember` when it is the reader's choice (an error opening a
     * collapsed panel is not). Docking asks the page for room; leaving the dock gives it back. */
    function setView(next, remember) {
      view = next;
      host.setAttribute("data-view", view);
      badge.hidden = view !== "badge";
      panel.hidden = view === "badge";
      panel.classList.toggle("docked", view === "docked");
      const dockLabel = view === "docked" ? "Float over the page" : "Dock to the side (the page makes room)";
      dock.textContent = view === "docked" ? "\u21e4" : "\u21e5";
      dock.title = dockLabel;
      dock.setAttribute("aria-label", dockLabel);
      if (docked !== (view === "docked")) {
        docked = view === "docked";
        handlers.onDock(docked);
      }
      if (remember) handlers.onView(view);
    }

    function setBadge(label, ...parts) {
      badge.setAttribute("aria-label", `Sourcelight: ${label}. Show the panel`);
      badge.title = `${label}. Show the panel`;
      badgeStatus.replaceChildren(...parts.filter(Boolean));
    }

    collapse.addEventListener("click", () => {
      setView("badge", true);
      badge.focus();
    });
    badge.addEventListener("click", () => {
      setView("expanded", true);
      collapse.focus();
    });
    dock.addEventListener("click", () => setView(view === "docked" ? "expanded" : "docked", true));
    close.addEventListener("click", () => handlers.onClose());
    setView(C.PANEL_VIEWS.includes(handlers.view) ? handlers.view : C.PANEL_VIEWS[0], false);
    document.documentElement.append(host);

    function setState(state) {
      host.setAttribute("data-state", state);
    }

    function reset() {
      status.replaceChildren();
      content.replaceChildren();
      grade.hidden = true;
    }

    /** again: the page changed the text during the first analysis, which is being repeated;
     * selection: the reader's selected text is analysed, not the page's article. */
    function showProgress(words, { again = false, selection = false } = {}) {
      reset();
      setState("working");
      const what = `${words.toLocaleString("en")}${selection ? " selected" : ""} words`;
      status.append(el("p", { text: again
        ? `The page changed the text while it was analysed; analysing its ${what} again\u2026`
        : `Analysing ${what}\u2026` }),
        el("div", { className: "progress", role: "progressbar", "aria-label": "Waiting for the server" }, el("div")));
      setBadge(`analysing ${what}`, el("span", { className: "spinner", "aria-hidden": "true" }));
    }

    /** problem: {title, detail, command, retry, notice}; a notice (a page Sourcelight does not
     * judge, such as one not in English) is said calmly, in state "notice" rather than "error". */
    function showError(problem) {
      reset();
      setState(problem.notice ? "notice" : "error");
      setBadge(problem.title, el("span", { className: problem.notice ? "badge-score" : "badge-problem",
        text: problem.notice ? "not graded" : "!" }));
      if (view === "badge") setView("expanded", false); // the reader needs to read it
      const box = el("div", { className: problem.notice ? "notice" : "error", role: problem.notice ? "status" : "alert" },
        el("strong", { text: problem.title }));
      for (const line of problem.detail || []) box.append(el("p", { text: line }));
      if (problem.command) {
        const p = el("p", null, "Start it from the project folder with ");
        problem.command.forEach((cmd, i) => {
          if (i) p.append(" or ");
          p.append(el("code", { text: cmd }));
        });
        p.append(", then try again.");
        box.append(p);
      }
      status.append(box);
      if (problem.retry) {
        const retry = el("button", { type: "button", className: "retry", text: "Try again" });
        retry.addEventListener("click", () => handlers.onRetry());
        status.append(el("div", { className: "nav" }, retry));
      }
    }

    function scoreSection(summary) {
      const g = C.GRADES[summary.grade] || { name: String(summary.grade), color: "#5f6368" };
      grade.textContent = summary.grade;
      grade.style.background = g.color;
      grade.hidden = false;
      const badgeGrade = el("span", { className: "badge-grade", text: summary.grade });
      badgeGrade.style.background = g.color;
      const scored = typeof summary.score === "number";
      setBadge(scored ? `${g.name}, ${summary.score}/100` : g.name, badgeGrade,
        scored ? el("span", { className: "badge-score", text: String(summary.score) }) : null);
      const reasons = el("ul", { className: "reasons" });
      const genreShown = Boolean(summary.genre && C.GENRES[summary.genre.label]);
      for (const r of summary.reasons || []) {
        // The genre line above already says what a genre_* reason would repeat.
        if (genreShown && String(r.code || "").startsWith("genre_")) continue;
        const effect = Number(r.effect) || 0;
        reasons.append(el("li", null,
          el("span", { className: "effect " + (effect < 0 ? "neg" : effect > 0 ? "pos" : ""), text: signed(effect) }),
          el("span", { text: r.text })));
      }
      return el("section", { className: "summary" },
        el("p", { className: "score", text: summary.score === null || summary.score === undefined
          ? g.name : `${summary.score}/100 \u00b7 ${g.name}` }),
        summary.headline ? el("p", { className: "headline", text: summary.headline }) : null,
        el("h2", { text: "Why this score" }), reasons);
    }

    /** Opinion, analysis or satire: said first, before the grade (report and other: nothing). */
    function genreSection(summary) {
      const genre = summary.genre;
      const g = genre && typeof genre === "object" ? C.GENRES[genre.label] : null;
      if (!g) return null;
      const note = genre.from === "text" && g.fromText ? g.fromText : g.note;
      const signal = Array.isArray(genre.signals) && typeof genre.signals[0] === "string" ? genre.signals[0] : "";
      const confidence = typeof genre.confidence === "number" ? ` (confidence ${Math.round(genre.confidence * 100)}%)` : "";
      return el("section", { className: "genre", "data-genre": genre.label, title: signal ? signal + confidence : null },
        el("p", { className: "genre-line" }, el("strong", { text: g.name }), ` \u2014 ${note}`),
        signal ? el("p", { className: "why", text: signal }) : null);
    }

    function countsSection(summary) {
      const c = summary.counts || {};
      const rows = [["Attributions", c.attributions], ["Named sources", c.named], ["Officials", c.official],
        ["Documents", c.document], ["Anonymous", c.anonymous], ["Vague", c.vague],
        ["Direct quotes", c.direct_quotes], ["Hedges", c.hedges], ["Unattributed claims", c.unattributed_claims]];
      if (typeof summary.attributed_sentence_share === "number") {
        rows.push(["Sentences with a source", Math.round(summary.attributed_sentence_share * 100) + "%"]);
      }
      if (typeof summary.distinct_named_sources === "number") rows.push(["Distinct named sources", summary.distinct_named_sources]);
      const dl = el("dl");
      for (const [name, value] of rows) {
        if (value === undefined || value === null) continue;
        dl.append(el("dt", { text: name }), el("dd", { text: value }));
      }
      return el("section", { className: "counts" }, el("h2", { text: "Counts" }), dl);
    }

    function legendSection(counts, isEnabled) {
      const list = el("ul", { className: "legend" });
      for (const c of C.CATEGORIES) {
        const n = counts.get(c.id);
        if (!n) continue;
        const box = el("input", { type: "checkbox", "data-category": c.id });
        box.checked = isEnabled(c.id);
        box.addEventListener("change", () => handlers.onToggle(c.id, box.checked));
        list.append(el("li", null, el("label", null, box, swatch(c.id), el("span", { text: c.name }),
          el("span", { className: "count", text: n }))));
      }
      const section = el("section", { className: "highlights" }, el("h2", { text: "Highlights" }));
      section.append(list.childElementCount ? list : el("p", { text: "Nothing to highlight in this article." }));
      return section;
    }

    /** "subject of the story" / "independent" (voices' `role`), with the server's reason as title. */
    function roleTag(source) {
      const role = C.ROLES[source.role];
      if (!role) return null;
      return el("span", { className: "role " + source.role, "data-role": source.role,
        title: typeof source.role_why === "string" && source.role_why ? source.role_why : role.title, text: role.name });
    }

    /** The other names the article uses for a voice ("the company"), at most ALIASES_SHOWN. */
    function aliasesLine(source) {
      if (!Array.isArray(source.aliases)) return null;
      const own = String(source.name || "").toLowerCase();
      const names = [...new Set(source.aliases.filter((a) => typeof a === "string" && a.trim())
        .map((a) => clip(a)))].filter((a) => a.toLowerCase() !== own);
      if (!names.length) return null;
      const quoted = names.slice(0, ALIASES_SHOWN).map((a) => "\u201c" + clip(a, ALIAS_MAX) + "\u201d").join(", ");
      const more = names.length > ALIASES_SHOWN ? ` +${names.length - ALIASES_SHOWN}` : "";
      return el("p", { className: "aliases", title: names.join(" \u00b7 "),
        text: names.length === 1 ? `Also called ${quoted}` : `${names.length} other names: ${quoted}${more}` });
    }

    function whoSection(data, hasMention) {
      const spans = new Map((data.spans || []).map((s) => [s.id, s]));
      const atts = new Map((data.attributions || []).map((a) => [a.id, a]));
      const list = el("ol", { className: "who" });
      for (const source of data.sources || []) {
        const mentions = (source.mentions || []).filter(hasMention);
        const button = el("button", { type: "button", className: "source", "data-source": source.id,
          title: mentions.length ? "Show in the article" : "Not found on the page", disabled: !mentions.length },
        el("span", { className: "who-label" },
          el("span", { className: "name", text: source.name }),
          el("span", { className: "chip", text: typeName(source.source_type) }),
          roleTag(source)),
        el("span", { className: "count", text: mentions.length === 1 ? "1 mention" : `${mentions.length} mentions` }));
        const chip = button.querySelector(".chip");
        const cat = U.categoryById("source-" + source.source_type) || U.categoryById("source-other");
        chip.style.background = cat.background;
        button.addEventListener("click", () => handlers.onSource(source, mentions));
        const claims = el("ul", { className: "claims" });
        for (const attId of source.attributions || []) {
          const a = atts.get(attId);
          if (!a) continue;
          const cue = spans.get(a.cue);
          const said = spans.get(a.content);
          // A cue may keep the colon that announced the words ("said:"): one colon, not two.
          const cueText = cue ? cue.text.replace(/\s*:\s*$/, "") : null;
          const line = [cueText, said ? quoted(said.text) : null].filter(Boolean).join(": ");
          if (line) claims.append(el("li", { text: line }));
        }
        list.append(el("li", null, button, aliasesLine(source), claims.childElementCount ? claims : null));
      }
      return el("section", { className: "who-says-what" }, el("h2", { text: "Who says what" }),
        list.childElementCount ? list : el("p", { text: "No sources were found." }));
    }

    function readabilitySection(summary) {
      const r = summary.readability;
      if (!r) return null;
      const parts = [];
      if (typeof r.flesch_reading_ease === "number") parts.push(`Flesch reading ease ${r.flesch_reading_ease.toFixed(1)}`);
      if (typeof r.grade_level === "number") parts.push(`grade level ${r.grade_level.toFixed(1)}`);
      if (typeof r.reading_minutes === "number") parts.push(`about ${r.reading_minutes} min to read`);
      return el("section", { className: "readability" }, el("h2", { text: "Readability" }),
        el("p", { text: parts.join(" \u00b7 ") }));
    }

    /** result: {data, counts, isEnabled, hasMention, elapsedMs, words, selection, skipped, changed, cssProblem} */
    function showResult(result) {
      reset();
      setState("done");
      const { data, skipped } = result;
      const summary = data.summary || {};
      if (summary.grade === "insufficient") {
        status.append(el("p", { className: "warn", text: result.selection
          ? "The selection is too short to grade its sourcing; what it says about its sources is highlighted."
          : "The article is too short for the server to judge its sourcing." }));
      }
      const prev = el("button", { type: "button", className: "prev", text: "\u2191 Previous" });
      const next = el("button", { type: "button", className: "next", text: "Next \u2193" });
      prev.addEventListener("click", () => handlers.onPrevious());
      next.addEventListener("click", () => handlers.onNext());
      const server = data.meta && typeof data.meta.elapsed_ms === "number"
        ? ` (server ${seconds(data.meta.elapsed_ms)})` : "";
      const lost = skipped.mismatched + skipped.unmapped;
      // Sections with nothing to say are null (append would print "null").
      content.append(...[genreSection(summary), scoreSection(summary), countsSection(summary),
        legendSection(result.counts, result.isEnabled), whoSection(data, result.hasMention),
        readabilitySection(summary),
        el("section", { className: "findings" },
          el("div", { className: "nav" }, prev, next),
          el("p", { className: "hint", text: "Alt+Shift+N / Alt+Shift+P: next / previous finding \u00b7 Esc: close" }),
          lost ? el("p", { className: "warn", text: `${lost} finding(s) could not be placed on the page.` }) : null,
          result.changed ? el("p", { className: "warn changed", text: `${result.changed} finding(s) could not be ` +
            "placed: the page changed their text while it was being analysed, and again when it was read once more." }) : null,
          result.cssProblem ? el("p", { className: "warn", text: "The highlight colours could not be added to this " +
            `page, so the highlights may not show (${result.cssProblem}).` }) : null,
          el("p", { className: "meta elapsed",
            text: `Analysed ${result.words.toLocaleString("en")}${result.selection ? " selected" : ""} words ` +
              `in ${seconds(result.elapsedMs)}${server}.` })),
        typeof summary.limits === "string" && summary.limits ? el("p", { className: "meta limits", text: summary.limits }) : null,
      ].filter(Boolean));
    }

    function showTooltip(entry, rect) {
      const c = U.categoryById(entry.category);
      tooltip.replaceChildren(
        el("div", { className: "kind" }, swatch(entry.category), el("span", { text: c.name })),
        el("div", { className: "quoted", text: "\u201c" + clip(entry.span.text) + "\u201d" }),
        entry.span.why ? el("div", { className: "why", text: entry.span.why }) : null);
      tooltip.hidden = false;
      const vw = global.innerWidth;
      const vh = global.innerHeight;
      const tip = tooltip.getBoundingClientRect();
      const left = Math.max(8, Math.min(rect.left, vw - tip.width - 8));
      const below = rect.bottom + 6;
      const top = below + tip.height <= vh - 8 ? below : Math.max(8, rect.top - tip.height - 6);
      tooltip.style.left = left + "px";
      tooltip.style.top = top + "px";
    }

    return {
      showProgress,
      showError,
      showResult,
      showTooltip,
      hideTooltip() {
        tooltip.hidden = true;
      },
      tooltipShown: () => !tooltip.hidden,
      announce(text) {
        live.textContent = text;
      },
      /** True when an event came from inside our shadow root (it is retargeted to the host). */
      contains: (node) => node === host,
      destroy() {
        host.remove();
        if (docked) handlers.onDock(false); // the page gets its room back
      },
    };
  }

  global.SourcelightOverlay = Object.freeze({ createOverlay, HOST_ATTRIBUTE });
})(globalThis);
