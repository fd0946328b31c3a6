"""The sourcing score: 0–100, a sum of named reasons, each a sentence with its effect.

Grounded in newsroom standards (AP Stylebook on anonymous sources, Reuters Handbook of
Journalism, NYT's guidelines on integrity): attribute every disputable fact; prefer named,
on-the-record, primary sources; say why anonymity was granted; corroborate with more than one
source; draw on different kinds of source. Hedging is not simply bad: acknowledging
uncertainty is a credibility signal; speculation that carries the story is not.
The rubric is documented in docs/scoring.md; keep the two in step.
"""
from __future__ import annotations

BASE_SCORE = 50
MIN_WORDS, MIN_SENTENCES = 80, 3  # below this there is too little text to judge
GRADES = ((65, "strong"), (40, "mixed"), (0, "weak"))
ACCOUNTABLE = ("named_person", "named_organization", "named_outlet", "official", "document")


def _clamp(value: float, low: int, high: int) -> int:
    return int(max(low, min(high, round(value))))


def _plural(n: int, word: str, plural: str | None = None) -> str:
    return f"{n} {word if n == 1 else (plural or word + 's')}"


def score_article(summary: dict, attributions, sources) -> dict:
    words, sentences = summary["words"], summary["sentences"]
    if words < MIN_WORDS or sentences < MIN_SENTENCES:
        return {"score": None, "grade": "insufficient",
                "headline": "Too little text to judge how it is sourced.",
                "reasons": [{"effect": 0, "code": "insufficient_text",
                             "text": f"Only {_plural(words, 'word')} in {_plural(sentences, 'sentence')}; "
                                     f"a judgement needs at least {MIN_WORDS} words and {MIN_SENTENCES} sentences."}]}
    counts = summary["counts"]
    reasons: list[dict] = []

    def reason(code: str, effect: int, text: str):
        if effect != 0 or code in ("coverage", "accountable"):
            reasons.append({"effect": int(effect), "code": code, "text": text})

    typed = [a for a in attributions if a.source_type]
    n = len(typed)

    # 1. Attribute every disputable fact.
    share = summary["attributed_sentence_share"]
    reason("coverage", _clamp((share - 0.35) * 40, -12, 12),
           f"{round(share * 100)}% of sentences say where their information comes from.")

    # 2. Prefer named, on-the-record sources.
    accountable = [a for a in typed if a.source_type in ACCOUNTABLE]
    if n:
        acc_share = len(accountable) / n
        reason("accountable", _clamp((acc_share - 0.5) * 30, -15, 15),
               f"{len(accountable)} of {_plural(n, 'attribution')} name an accountable source "
               "(a person, organisation, outlet, official or document).")
    else:
        reason("no_attribution", -20, "Nothing in the article is attributed to anyone.")

    # 3. Say why anonymity was granted.
    anonymous = [a for a in typed if a.source_type == "anonymous"]
    bare = [a for a in anonymous if not a.anonymity_reason]
    explained = len(anonymous) - len(bare)
    if bare:
        reason("anonymous_unexplained", -min(16, 4 * len(bare)),
               f"{_plural(len(bare), 'anonymous source')}, and the article does not say why "
               f"{'it is' if len(bare) == 1 else 'they are'} unnamed.")
    if explained:
        reason("anonymous_explained", -min(4, explained),
               f"{_plural(explained, 'anonymous source')} with the reason for anonymity given, as newsroom standards ask.")

    # 4. Vague and weasel attributions.
    vague = [a for a in typed if a.source_type == "vague"]
    if vague:
        reason("vague_sources", -min(14, 2 * len(vague)),
               f"{_plural(len(vague), 'claim')} rest on vague sources such as “critics”, “some” or an unstated agent.")

    # 5. Unattributed claims.
    unattributed = counts.get("unattributed_claims", 0)
    if unattributed:
        reason("unattributed_claims", -min(15, 3 * unattributed),
               f"{_plural(unattributed, 'sentence')} state checkable facts or sweeping judgements with no source.")

    # 6. Corroborate with more than one source.
    distinct = {a.entity for a in accountable if a.entity is not None}
    k = len(distinct)
    effect = -10 if k == 0 else -4 if k == 1 else 0 if k == 2 else 5 if k <= 4 else 8
    reason("corroboration", effect,
           "No accountable source is named." if k == 0 else
           f"Rests on {_plural(k, 'distinct accountable source')}" +
           (": nothing is corroborated." if k == 1 else "." if k == 2 else ", so claims can be cross-checked."))

    # 7. Diversity of source types.
    kinds = {a.source_type for a in accountable}
    if len(kinds) >= 3:
        reason("diversity", 4, f"Draws on {len(kinds)} kinds of accountable source.")

    # 8. On-the-record direct quotes.
    named_quotes = [a for a in typed if a.direct_quote and a.source_type in ACCOUNTABLE]
    if named_quotes:
        reason("direct_quotes", 6 if len(named_quotes) >= 3 else 4,
               f"Quotes {'a source' if len(named_quotes) == 1 else 'sources'} directly, on the record "
               f"({_plural(len(named_quotes), 'quote')}).")

    # 9. Hedging: honest uncertainty is fine; speculation carrying the story is not.
    hedges = counts.get("hedges", 0)
    per_100_words = 100 * hedges / max(words, 1)
    if per_100_words > 1.5:
        reason("speculation", -4, f"Leans on speculation: {_plural(hedges, 'hedge')} in {words} words.")
    elif hedges:
        reason("acknowledges_uncertainty", 2,
               f"Marks uncertainty where it exists ({_plural(hedges, 'hedge')}) rather than overstating.")

    # 10. Links to the sources it cites.
    linked = summary.get("linked_sources", 0)
    if linked:
        reason("links", min(4, linked), f"Links to {_plural(linked, 'of its sources', 'of its sources')}.".replace(
            "1 of its sources", "one of its sources"))

    score = _clamp(BASE_SCORE + sum(r["effect"] for r in reasons), 0, 100)
    grade = next(name for floor, name in GRADES if score >= floor)
    return {"score": score, "grade": grade, "headline": _headline(grade, counts, anonymous, vague, named_quotes, n),
            "reasons": reasons}


def _headline(grade: str, counts: dict, anonymous, vague, named_quotes, n: int) -> str:
    problems = []
    if anonymous and vague:
        problems.append("Leans on anonymous and vague sources")
    elif anonymous:
        problems.append("Leans on anonymous sources")
    elif vague:
        problems.append("Leans on vague sources")
    if counts.get("unattributed_claims", 0) >= 3:
        problems.append("several claims have no source")
    if n and not named_quotes:
        problems.append("no direct quotes from named sources")
    if grade == "strong":
        return "Well sourced: claims are credited to named, accountable sources." if not problems else \
            "Mostly well sourced; " + problems[0][0].lower() + problems[0][1:] + "."
    if not problems:
        return "Sourcing is thin: few claims are credited to anyone." if grade == "weak" else \
            "Mixed sourcing: some claims are credited, others are not."
    text = "; ".join(problems)
    return text[0].upper() + text[1:] + "."
