"""`sourcelight report OUT.jsonl --html report.html [--by outlet|date]`: one self-contained page
over a batch's output.

Plots (Plotly; plotly.js is inlined once, so the page opens from disk with no network): the score
distribution, grade shares per group, the mix of source types per group, anonymous / vague
shares and unattributed claims per 1,000 words per group; then the most cited named voices and a
table of every article, each row anchored by its id (report.html#a-ID) and linked to its url.
(report.py is something else: the terminal report of one article for `sourcelight analyze`.)
"""
from __future__ import annotations

import datetime as dt
import html
import json
import re
import statistics
import sys
import time
from collections import Counter, defaultdict
from urllib.parse import quote

from . import __version__
from .corpus_io import flatten, iter_responses

GRADES = ("strong", "mixed", "weak", "insufficient")
GRADE_COLOURS = {"strong": "#2e7d32", "mixed": "#f9a825", "weak": "#c62828", "insufficient": "#9e9e9e"}
SOURCE_TYPES = ("named_person", "named_organization", "named_outlet", "official", "document", "anonymous", "vague",
                "self", "unknown")
TYPE_COLOURS = {"named_person": "#1565c0", "named_organization": "#42a5f5", "named_outlet": "#90caf9",
                "official": "#6a1b9a", "document": "#00897b", "anonymous": "#d84315", "vague": "#ffb300",
                "self": "#8d6e63", "unknown": "#bdbdbd"}
NAMED = ("named_person", "named_organization", "named_outlet")
MAX_OUTLETS = 12     # more outlets are shown as one "other outlets" group in the plots
TOP_VOICES = 20
NO_GROUP = {"outlet": "(no outlet)", "date": "(no date)"}


def period_of(date: str | None, period: str) -> str | None:
    """"2026-03-04" -> "2026" / "2026-03" / "2026-W10" / "2026-03-04"; None when not a date."""
    if not date:
        return None
    try:
        day = dt.date.fromisoformat(date[:10])
    except ValueError:
        return None
    if period == "year":
        return f"{day.year}"
    if period == "month":
        return f"{day.year}-{day.month:02d}"
    if period == "week":
        year, week, _ = day.isocalendar()
        return f"{year}-W{week:02d}"
    return day.isoformat()


def _voice_key(name: str) -> str:
    return re.sub(r"^the ", "", " ".join(name.split()).casefold())


def collect(path: str, by: str | None, period: str) -> dict:
    """Rows, per-article source-type counts and voices from an OUT.jsonl."""
    rows, voices = [], defaultdict(lambda: {"names": Counter(), "type": Counter(), "articles": [], "attributions": 0})
    for response in iter_responses(path):
        row = flatten(response)
        types = Counter((a.get("source_type") or "unknown") for a in response.get("attributions") or [])
        row["types"] = {t: types.get(t, 0) for t in SOURCE_TYPES}
        if by == "outlet":
            row["group"] = row.get("outlet") or NO_GROUP["outlet"]
        elif by == "date":
            row["group"] = period_of(row.get("date"), period) or NO_GROUP["date"]
        else:
            row["group"] = "All articles"
        rows.append(row)
        for source in response.get("sources") or []:
            if source.get("source_type") not in NAMED or not source.get("name"):
                continue
            voice = voices[_voice_key(source["name"])]
            voice["names"][source["name"]] += 1
            voice["type"][source["source_type"]] += 1
            voice["attributions"] += len(source.get("attributions") or [])
            if row["id"] not in voice["articles"]:
                voice["articles"].append(row["id"])
    return {"rows": rows, "voices": voices}


def group_order(rows: list[dict], by: str | None) -> list[str]:
    counts = Counter(row["group"] for row in rows)
    if by == "date":
        return sorted(counts, key=lambda g: (g == NO_GROUP["date"], g))
    return [g for g, _ in counts.most_common()]


def plot_groups(rows: list[dict], by: str | None) -> list[str]:
    """Groups as plotted: by outlet, the MAX_OUTLETS largest and one "other outlets" group."""
    order = group_order(rows, by)
    if by == "outlet" and len(order) > MAX_OUTLETS:
        keep = set(order[:MAX_OUTLETS])
        other = f"other outlets ({len(order) - MAX_OUTLETS})"
        for row in rows:
            row["plot_group"] = row["group"] if row["group"] in keep else other
        return order[:MAX_OUTLETS] + [other]
    for row in rows:
        row["plot_group"] = row["group"]
    return order


# --- figures -------------------------------------------------------------------------------------
def _layout(fig, title: str, height: int, **extra) -> None:
    fig.update_layout(title={"text": title, "x": 0, "xanchor": "left"}, height=height, template="plotly_white",
                      margin={"l": 10, "r": 10, "t": 60, "b": 40}, legend={"orientation": "h", "y": -0.15},
                      font={"family": "system-ui, sans-serif", "size": 13}, **extra)


def fig_scores(rows: list[dict]):
    import plotly.graph_objects as go
    fig = go.Figure()
    for grade in GRADES[:3]:
        scores = [r["score"] for r in rows if r["grade"] == grade and r["score"] is not None]
        fig.add_trace(go.Histogram(x=scores, name=grade, marker_color=GRADE_COLOURS[grade],
                                   xbins={"start": 0, "end": 100.01, "size": 5}))
    unscored = sum(1 for r in rows if r["score"] is None)
    _layout(fig, "Score distribution" + (f" ({unscored} articles too short to score left out)" if unscored else ""),
            360, barmode="stack", bargap=0.05)
    fig.update_xaxes(title_text="score (0–100)", range=[0, 100])
    fig.update_yaxes(title_text="articles")
    return fig


def fig_scores_by_group(rows: list[dict], groups: list[str]):
    import plotly.graph_objects as go
    fig = go.Figure()
    for group in groups:
        scores = [r["score"] for r in rows if r["plot_group"] == group and r["score"] is not None]
        # Every article as a point while they can be told apart; beyond that, outliers only.
        fig.add_trace(go.Box(x=scores, name=group, boxpoints="all" if len(rows) <= 3000 else "outliers",
                             jitter=0.4, pointpos=0, marker_size=4,
                             line_color="#455a64", showlegend=False))
    _layout(fig, "Scores per group", 120 + 36 * len(groups))
    fig.update_xaxes(title_text="score (0–100)", range=[0, 100])
    fig.update_yaxes(autorange="reversed")
    return fig


def _shares(rows, groups, keys, value):
    """{key: [share per group]}: value(row, key) summed per group over the group's total."""
    table = {}
    totals = {g: sum(sum(value(r, k) for k in keys) for r in rows if r["plot_group"] == g) for g in groups}
    for key in keys:
        table[key] = [
            (sum(value(r, key) for r in rows if r["plot_group"] == g) / totals[g]) if totals[g] else 0 for g in groups]
    return table


def _stacked(title: str, groups: list[str], shares: dict, colours: dict, names=None):
    import plotly.graph_objects as go
    fig = go.Figure()
    for key, values in shares.items():
        fig.add_trace(go.Bar(y=groups, x=values, name=(names or {}).get(key, key.replace("_", " ")), orientation="h",
                             marker_color=colours[key], hovertemplate="%{y}: %{x:.0%}<extra>%{fullData.name}</extra>"))
    _layout(fig, title, 150 + 32 * len(groups), barmode="stack")
    fig.update_layout(legend_traceorder="normal")
    fig.update_xaxes(tickformat=".0%", range=[0, 1])
    fig.update_yaxes(autorange="reversed")
    return fig


def fig_grades(rows, groups):
    return _stacked("Grade shares per group (articles)", groups,
                    _shares(rows, groups, GRADES, lambda r, g: 1 if r["grade"] == g else 0), GRADE_COLOURS)


def fig_source_types(rows, groups):
    return _stacked("Mix of source types per group (attributions)", groups,
                    _shares(rows, groups, SOURCE_TYPES, lambda r, t: r["types"][t]), TYPE_COLOURS)


def group_rates(rows, groups) -> dict[str, dict]:
    """Per group: anonymous and vague share of attributions, unattributed claims per 1,000 words."""
    out = {}
    for group in groups:
        members = [r for r in rows if r["plot_group"] == group]
        attributions = sum(r["attributions"] or 0 for r in members)
        words = sum(r["words"] or 0 for r in members)
        out[group] = {
            "articles": len(members),
            "anonymous": sum(r["anonymous"] or 0 for r in members) / attributions if attributions else 0.0,
            "vague": sum(r["vague"] or 0 for r in members) / attributions if attributions else 0.0,
            "unattributed_per_1000_words": 1000 * sum(r["unattributed_claims"] or 0 for r in members) / words if words else 0.0,
        }
    return out


def fig_rates(rates: dict[str, dict], groups: list[str]):
    import plotly.graph_objects as go
    from plotly.subplots import make_subplots
    fig = make_subplots(rows=1, cols=2, shared_yaxes=True, horizontal_spacing=0.04,
                        subplot_titles=("anonymous and vague, share of attributions", "unattributed claims per 1,000 words"))
    for key, colour in (("anonymous", TYPE_COLOURS["anonymous"]), ("vague", TYPE_COLOURS["vague"])):
        fig.add_trace(go.Bar(y=groups, x=[rates[g][key] for g in groups], name=key, orientation="h", marker_color=colour,
                             hovertemplate="%{y}: %{x:.1%}<extra>" + key + "</extra>"), row=1, col=1)
    fig.add_trace(go.Bar(y=groups, x=[rates[g]["unattributed_per_1000_words"] for g in groups], orientation="h",
                         name="unattributed claims", marker_color="#6d4c41",
                         hovertemplate="%{y}: %{x:.2f} per 1,000 words<extra></extra>"), row=1, col=2)
    _layout(fig, "Anonymous, vague and unattributed, per group", 170 + 40 * len(groups), barmode="group")
    fig.update_xaxes(tickformat=".0%", row=1, col=1)
    fig.update_yaxes(autorange="reversed")
    return fig


def top_voices(voices: dict, count: int = TOP_VOICES) -> list[dict]:
    ranked = sorted(voices.values(), key=lambda v: (-len(v["articles"]), -v["attributions"],
                                                    v["names"].most_common(1)[0][0]))
    return [{"name": v["names"].most_common(1)[0][0], "type": v["type"].most_common(1)[0][0],
             "articles": v["articles"], "attributions": v["attributions"]} for v in ranked[:count]]


def fig_voices(voices: list[dict]):
    import plotly.graph_objects as go
    fig = go.Figure(go.Bar(y=[v["name"] for v in voices], x=[len(v["articles"]) for v in voices], orientation="h",
                           marker_color=[TYPE_COLOURS[v["type"]] for v in voices],
                           customdata=[[v["type"].replace("_", " "), v["attributions"]] for v in voices],
                           hovertemplate="%{y} (%{customdata[0]}): %{x} articles, %{customdata[1]} attributions"
                                         "<extra></extra>"))
    _layout(fig, f"Most cited named voices (top {len(voices)}, by articles citing them)", 140 + 24 * max(1, len(voices)))
    fig.update_xaxes(title_text="articles")
    fig.update_yaxes(autorange="reversed")
    return fig


# --- the page ------------------------------------------------------------------------------------
def anchor(key: str) -> str:
    return "a-" + quote(key, safe="")


def _figure_html(fig, name: str) -> str:
    import plotly.io as pio
    return (f'<figure class="plot" data-plot="{name}">' + pio.to_html(
        fig, full_html=False, include_plotlyjs=False, div_id=f"plot-{name}",
        config={"displaylogo": False, "responsive": True}) + "</figure>")


def _pct(value: float) -> str:
    return f"{value * 100:.0f}%"


def _group_table(rows, groups, rates, by) -> str:
    if not by:
        return ""
    head = "".join(f"<th>{h}</th>" for h in (by, "articles", "median score", *GRADES, "anonymous", "vague",
                                               "unattributed / 1,000 words"))
    body = []
    for group in groups:
        members = [r for r in rows if r["plot_group"] == group]
        scores = [r["score"] for r in members if r["score"] is not None]
        median = statistics.median(scores) if scores else None
        grades = Counter(r["grade"] for r in members)
        cells = [html.escape(group), len(members), "–" if median is None else f"{median:g}",
                 *(_pct(grades[g] / len(members)) for g in GRADES), _pct(rates[group]["anonymous"]),
                 _pct(rates[group]["vague"]), f"{rates[group]['unattributed_per_1000_words']:.2f}"]
        body.append("<tr>" + "".join(f"<td>{c}</td>" for c in cells) + "</tr>")
    return f'<table class="groups"><thead><tr>{head}</tr></thead><tbody>{"".join(body)}</tbody></table>'


def _voice_table(voices: list[dict]) -> str:
    if not voices:
        return "<p>No named voices in these articles.</p>"
    body = []
    for v in voices:
        links = ", ".join(f'<a href="#{anchor(k)}">{html.escape(k)}</a>' for k in v["articles"][:8])
        more = f" and {len(v['articles']) - 8} more" if len(v["articles"]) > 8 else ""
        body.append(f"<tr><td>{html.escape(v['name'])}</td><td>{v['type'].replace('_', ' ')}</td>"
                    f"<td>{len(v['articles'])}</td><td>{v['attributions']}</td><td>{links}{more}</td></tr>")
    return ('<table class="voices"><thead><tr><th>voice</th><th>type</th><th>articles</th><th>attributions</th>'
            f'<th>cited in</th></tr></thead><tbody>{"".join(body)}</tbody></table>')


def _article_table(rows: list[dict], by: str | None) -> str:
    by_period = by == "date"  # by outlet, the outlet column already says the group
    heads = (["period"] if by_period else []) + ["id", "date", "outlet", "title", "grade", "score", "genre", "words",
                                         "attributions", "named", "anonymous", "vague", "unattributed"]
    body = []
    for r in sorted(rows, key=lambda r: (r["group"], r.get("date") or "", r["id"])):
        title = html.escape(r.get("title") or "")
        if r.get("url"):
            title = f'<a href="{html.escape(r["url"])}" rel="noreferrer">{title or html.escape(r["url"])}</a>'
        grade = r["grade"] or ""
        cells = ([html.escape(r["group"])] if by_period else []) + [
            f'<a href="#{anchor(r["id"])}">{html.escape(r["id"])}</a>', html.escape(r.get("date") or ""),
            html.escape(r.get("outlet") or ""), title,
            f'<span class="grade" style="background:{GRADE_COLOURS.get(grade, "#ccc")}">{html.escape(grade)}</span>',
            "" if r["score"] is None else r["score"], html.escape(r["genre"] or ""), r["words"], r["attributions"],
            r["named"], r["anonymous"], r["vague"], r["unattributed_claims"]]
        body.append(f'<tr id="{anchor(r["id"])}">' + "".join(f"<td>{c}</td>" for c in cells) + "</tr>")
    head = "".join(f"<th>{h}</th>" for h in heads)
    return f'<table class="articles"><thead><tr>{head}</tr></thead><tbody>{"".join(body)}</tbody></table>'


CSS = """
body{font:15px/1.45 system-ui,sans-serif;margin:0;color:#1f2933;background:#fafafa}
main{max-width:1180px;margin:0 auto;padding:24px}
h1{font-size:26px;margin:0 0 4px}h2{font-size:19px;margin:32px 0 8px}
.lede{color:#52606d;margin:0 0 16px}
.cards{display:flex;flex-wrap:wrap;gap:12px;margin:16px 0}
.card{background:#fff;border:1px solid #e4e7eb;border-radius:8px;padding:10px 16px;min-width:120px}
.card b{display:block;font-size:22px}
figure.plot{background:#fff;border:1px solid #e4e7eb;border-radius:8px;margin:12px 0;padding:6px}
table{border-collapse:collapse;background:#fff;font-size:13px;width:100%}
th,td{border-bottom:1px solid #e4e7eb;padding:4px 8px;text-align:left;vertical-align:top}
th{position:sticky;top:0;background:#f0f4f8}
tr:target{background:#fff3c4}
table.articles td:nth-child(-n+3){white-space:nowrap}
.grade{color:#fff;border-radius:4px;padding:0 6px;font-size:12px}
.note{color:#52606d;font-size:13px}
"""


def render(data: dict, *, by: str | None, period: str, title: str, source: str) -> str:
    from plotly.offline import get_plotlyjs

    rows = data["rows"]
    groups = plot_groups(rows, by)
    rates = group_rates(rows, groups)
    voices = top_voices(data["voices"])
    scored = [r["score"] for r in rows if r["score"] is not None]
    grades = Counter(r["grade"] for r in rows)
    attributions = sum(r["attributions"] or 0 for r in rows)
    figures = [_figure_html(fig_scores(rows), "scores")]
    if by:
        figures.append(_figure_html(fig_scores_by_group(rows, groups), "scores-by-group"))
    figures += [_figure_html(fig_grades(rows, groups), "grades"), _figure_html(fig_source_types(rows, groups), "source-types"),
                _figure_html(fig_rates(rates, groups), "rates")]
    by_text = {"outlet": "by outlet", "date": f"by {period}"}.get(by, "all articles together")
    cards = [("articles", len(rows)), ("median score", f"{statistics.median(scored):g}" if scored else "–"),
             *((g, _pct(grades[g] / len(rows)) if rows else "–") for g in GRADES), ("attributions", attributions),
             ("anonymous", _pct(sum(r["anonymous"] or 0 for r in rows) / attributions) if attributions else "–")]
    meta = {"articles": len(rows), "groups": groups, "by": by, "period": period if by == "date" else None,
            "source": source, "plots": ["scores"] + (["scores-by-group"] if by else []) + ["grades", "source-types", "rates"]
            + (["voices"] if voices else [])}
    meta_json = json.dumps(meta).replace("</", "<\\/")
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>{html.escape(title)}</title><style>{CSS}</style>
<script>{get_plotlyjs()}</script>
<script type="application/json" id="report-meta">{meta_json}</script>
</head><body><main>
<h1>{html.escape(title)}</h1>
<p class="lede">{len(rows)} articles from <code>{html.escape(source)}</code>, {by_text}. Made by Sourcelight
{__version__} on {time.strftime("%Y-%m-%d %H:%M")}. Scores say how the articles credit their claims, not whether
the claims are true.</p>
<div class="cards">{"".join(f'<div class="card"><b>{html.escape(str(v))}</b>{html.escape(k)}</div>' for k, v in cards)}</div>
<h2>Scores and grades</h2>
{"".join(figures[:3] if by else figures[:2])}
<h2>Who is cited</h2>
{"".join(figures[3:] if by else figures[2:])}
{_group_table(rows, groups, rates, by)}
<p class="note">Shares of source types, anonymous and vague are of all the group's attributions; unattributed
claims are counted per 1,000 words of the group's text.{" Outlets beyond the " + str(MAX_OUTLETS) + " largest are plotted together." if by == "outlet" and len(group_order(rows, by)) > MAX_OUTLETS else ""}</p>
<h2>Most cited voices</h2>
{_figure_html(fig_voices(voices), "voices") if voices else ""}
{_voice_table(voices)}
<h2>Articles</h2>
<p class="note">Each row's id links to itself (report.html#a-ID); a title links to the article's url.</p>
{_article_table(rows, by)}
</main></body></html>
"""


def write_report(input_path: str, html_path: str, *, by: str | None = None, period: str = "month",
                 title: str | None = None) -> int:
    try:
        data = collect(input_path, by, period)
    except OSError as err:
        print(f"sourcelight: cannot read {input_path}: {err.strerror or err}", file=sys.stderr)
        return 1
    if not data["rows"]:
        print(f"sourcelight: {input_path} holds no responses of `sourcelight batch`", file=sys.stderr)
        return 1
    page = render(data, by=by, period=period, title=title or "Sourcelight corpus report", source=input_path)
    with open(html_path, "w", encoding="utf-8") as handle:
        handle.write(page)
    print(f"sourcelight report: {len(data['rows'])} articles → {html_path} ({len(page) / 1e6:.1f} MB)", file=sys.stderr)
    return 0

