"""The sourcing score: 0–100, a base plus named reasons, each a sentence with its effect.

Every reason is a *feature* of the article measured as a share, a rate or a saturating count (so
the same habits score the same at 200 and 2,000 words) times a weight in points. Weights of the
reasons the development data can judge were fitted on expert ratings (scripts/fit_weights.py
writes rules/score_weights.json); the rest (anonymous and vague sources, unsourced claims,
secondhand quotes, links), which those stories hardly contain, keep weights set from newsroom
standards and are marked as such in the same file. docs/scoring.md explains both.

A fitted feature counts relative to the typical development story (its `centre`), so a reason's
effect says "better or worse than usual"; a standards penalty counts from zero.
"""
from __future__ import annotations

import json
import math
from collections import Counter
from functools import lru_cache
from importlib import resources

MIN_WORDS, MIN_SENTENCES = 80, 3  # below this there is too little text to judge
SHORT_WORDS = 250                 # below this the score is given with a warning
HYPE_MIN_SENTENCES = 20
GRADES = ((65, "strong"), (40, "mixed"), (0, "weak"))
ACCOUNTABLE = ("named_person", "named_organization", "named_outlet", "official", "document")
VOICE_TYPES = ("named_person", "named_organization", "named_outlet", "official")
# Reasons that judge how an article reports; an opinion or analysis piece is judged on the
# factual claims it rests on instead (the rest still apply).
REPORTING_ONLY = ("coverage", "accountable", "direct_quotes", "voices", "one_voice", "interested_only")
GENRE_NOTES = {
    "opinion": "Opinion piece: the score judges the factual claims it rests on, not its argument "
               "(how many voices it quotes is not held against it).",
    "analysis": "Analysis: the score judges the factual claims it rests on, not the writer's interpretation.",
}
LIMITS = ("Sourcelight reads how the article credits its claims; it cannot tell whether a quote is accurate, "
          "a source real or a claim true.")


@lru_cache(maxsize=1)
def weights() -> dict:
    path = resources.files("sourcelight") / "rules" / "score_weights.json"
    return json.loads(path.read_text(encoding="utf-8"))


def _clamp(value: float, low: int, high: int) -> int:
    return int(max(low, min(high, round(value))))


def _plural(n: int, word: str, plural: str | None = None) -> str:
    return f"{n} {word if n == 1 else (plural or word + 's')}"


def _names(voices, limit: int = 3) -> str:
    names = [v.name for v in voices[:limit]]
    more = len(voices) - len(names)
    return ", ".join(names) + (f" and {more} more" if more > 0 else "")


class Facts:
    """What the reasons are computed from: the article's attributions, voices and wording."""

    def __init__(self, summary: dict, attributions, voices, evidence: dict | None):
        self.summary, self.attributions, self.voices = summary, attributions, voices
        self.evidence = evidence or {}
        self.typed = [a for a in attributions if a.source_type]
        self.n = len(self.typed)
        self.sentences = max(1, summary["sentences"])
        per_voice = Counter(a.entity for a in self.typed if a.entity is not None)
        self.per_voice = per_voice
        self.subjects = [v for v in voices if v.role == "subject"]
        subject_ids = {i for i, v in enumerate(voices) if v.role == "subject"}
        self.subject_attributions = sum(n for i, n in per_voice.items() if i in subject_ids)
        # Voices besides the story's subject, by how often they are cited.
        # People and organisations first, then documents; the most cited first.
        ranked = sorted((v.source_type not in VOICE_TYPES, -per_voice[i], i) for i, v in enumerate(voices)
                        if v.source_type in ACCOUNTABLE and v.role != "subject" and i in per_voice
                        and getattr(v, "resolved", True))
        self.other_voices = [voices[i] for _, _, i in ranked]
        self.independent = [v for v in voices if v.role == "independent"]
        self.top = per_voice.most_common(1)[0] if per_voice else None

    def share(self, predicate) -> float:
        return sum(1 for a in self.typed if predicate(a)) / self.n if self.n else 0.0


def score_features(summary: dict, attributions, voices, evidence: dict | None = None) -> dict[str, float]:
    """The article's value for every reason, before weights (also what scripts/fit_weights.py fits)."""
    return _features(Facts(summary, attributions, voices, evidence))


def _features(f: Facts) -> dict[str, float]:
    summary = f.summary
    counts = summary["counts"]
    top_share = f.top[1] / f.n if f.top and f.n else 0.0
    others = [v for v in f.other_voices if v.source_type in VOICE_TYPES]
    return {
        "coverage": summary["attributed_sentence_share"],
        "accountable": f.share(lambda a: a.source_type in ACCOUNTABLE),
        "direct_quotes": f.share(lambda a: a.direct_quote and a.source_type in ACCOUNTABLE),
        "voices": math.log2(1 + len(f.other_voices)),
        "independent": float(min(2, len(f.independent))),
        "one_voice": max(0.0, top_share - 0.5) * 2 if f.n >= 3 else 0.0,
        "interested_only": float(bool(f.subjects) and not others),
        # Shares, so one statement among many voices weighs less than a story built on it.
        "news_release": min(1.0, len(f.evidence.get("news_release", [])) / max(3, f.n)),
        "conflicts": float(min(2, len(f.evidence.get("conflicts", [])))),
        "caveats": float(min(2, len(f.evidence.get("caveats", [])))),
        # Per sentence, but never over fewer than 20: one word must not sink a short item.
        "hype": min(1.0, len(f.evidence.get("hype", [])) / max(HYPE_MIN_SENTENCES, f.sentences)),
        "firsthand": float(min(2, len(f.evidence.get("firsthand", [])))),
        "no_quotes": float(f.n >= 3 and not any(a.direct_quote and a.source_type in ACCOUNTABLE for a in f.typed)),
        "anonymous": f.share(lambda a: a.source_type == "anonymous" and not a.anonymity_reason),
        "anonymous_explained": f.share(lambda a: a.source_type == "anonymous" and a.anonymity_reason),
        "vague": f.share(lambda a: a.source_type == "vague"),
        "unattributed": counts.get("unattributed_claims", 0) / f.sentences,
        "secondhand": f.share(lambda a: getattr(a, "secondhand", None) is not None),
        "links": min(1.0, summary.get("linked_sources", 0) / f.n) if f.n else 0.0,
    }


def article_features(analysis) -> dict[str, float]:
    """score_features for a finished Analysis."""
    return score_features(analysis.summary, analysis.attributions, analysis.sources, analysis.evidence)


def score_article(summary: dict, attributions, voices, evidence: dict | None = None, model: dict | None = None) -> dict:
    """The score, grade, headline and reasons; `model` replaces the weights file (for fitting)."""
    words, sentences = summary["words"], summary["sentences"]
    genre = (summary.get("genre") or {}).get("label")
    genre_from = (summary.get("genre") or {}).get("from")
    if words < MIN_WORDS or sentences < MIN_SENTENCES:
        return {"score": None, "grade": "insufficient",
                "headline": "Too little text to judge how it is sourced.",
                "reasons": [{"effect": 0, "code": "insufficient_text",
                             "text": f"Only {_plural(words, 'word')} in {_plural(sentences, 'sentence')}; "
                                     f"a judgement needs at least {MIN_WORDS} words and {MIN_SENTENCES} sentences."}],
                "limits": LIMITS}
    if genre == "satire" and genre_from == "page":
        return {"score": None, "grade": "not_applicable",
                "headline": "Satire: the page says it is satire, and a sourcing score does not apply to jokes.",
                "reasons": [{"effect": 0, "code": "genre_satire",
                             "text": "The page declares itself satire; nothing in it is graded as reporting."}],
                "limits": LIMITS}
    model = model or weights()
    facts = Facts(summary, attributions, voices, evidence)
    features = _features(facts)
    skipped = REPORTING_ONLY if genre in GENRE_NOTES else ()
    reasons: list[dict] = []
    if genre in GENRE_NOTES:
        reasons.append({"effect": 0, "code": f"genre_{genre}", "text": GENRE_NOTES[genre]})
    for code, spec in model["reasons"].items():
        if code in skipped:
            continue
        value = features[code]
        if "excess_over" in spec:  # only what goes beyond the usual level counts
            value = max(0.0, value - spec["excess_over"])
        effect = spec["weight"] * (value - spec.get("centre", 0.0))
        effect = max(-model["max_effect"], min(model["max_effect"], effect))
        text = _reason_text(code, features[code], facts)
        if text and (round(effect) != 0 or code == "voices"):
            reasons.append({"effect": int(round(effect)), "code": code, "text": text})
    secondhand = _secondhand_reason(facts)
    if secondhand and not any(r["code"] == "secondhand" for r in reasons):
        reasons.append(secondhand)
    if words < SHORT_WORDS:
        reasons.append({"effect": 0, "code": "short_text",
                        "text": f"Short text ({_plural(words, 'word')}): there is little to judge, so the score says less "
                                "than it would for a full article."})
    score = _clamp(model["base"] + sum(r["effect"] for r in reasons), 0, 100)
    grade = next(name for floor, name in GRADES if score >= floor)
    return {"score": score, "grade": grade, "headline": _headline(grade, facts, features, genre, reasons),
            "reasons": reasons, "limits": LIMITS}


def _reason_text(code: str, value: float, f: Facts) -> str | None:
    """The sentence a reader sees for one reason, or None when there is nothing to say."""
    n, counts = f.n, f.summary["counts"]
    if code == "coverage":
        return f"{round(value * 100)}% of sentences say where their information comes from."
    if code == "accountable":
        if not n:
            return "Nothing in the article is attributed to anyone."
        k = round(value * n)
        return f"{k} of {_plural(n, 'attribution')} name an accountable source (a person, organisation, outlet, official or document)."
    if code == "direct_quotes":
        k = round(value * n)
        return f"{_plural(k, 'direct quote')} from accountable sources, on the record." if k else \
            "No direct quotes from accountable sources."
    if code == "voices":
        others = f.other_voices
        if not others:
            return "No accountable voice besides the story's subject." if f.subjects else "No accountable source is named."
        besides = f" besides {f.subjects[0].name}, the story's subject" if f.subjects else ""
        return f"Hears from {_plural(len(others), 'accountable voice')}{besides} ({_names(others)})."
    if code == "independent":
        if not f.independent:
            return None
        voice = f.independent[0]
        why = voice.role_why or "independent"
        return f"Quotes {_plural(len(f.independent), 'independent voice')}: {voice.name} — {why[0].lower()}{why[1:]}"
    if code == "one_voice":
        if not value or f.top is None:
            return None
        voice = f.voices[f.top[0]]
        share = round(100 * f.top[1] / n)
        if voice.role == "subject":
            what = (voice.role_why or "the story's subject").split(": ", 1)[-1].rstrip(".")
            alone = "; no independent voice is heard" if not f.independent else ""
            return f"Rests mostly on {voice.name} ({what}): {share}% of attributions{alone}."
        return f"Relies largely on one voice: {voice.name} ({share}% of attributions)."
    if code == "interested_only":
        if not value:
            return None
        subject = f.subjects[0]
        what = (subject.role_why or "the story's subject").rstrip(".")
        return f"Rests on {subject.name} ({what[0].lower()}{what[1:]}); no other accountable voice is heard."
    if code in ("news_release", "conflicts", "caveats", "hype", "firsthand"):
        cues = f.evidence.get(code, [])
        if not cues:
            return None
        shown = ", ".join(dict.fromkeys(f"“{c.text}”" for c in cues[:6]))
        return {
            "news_release": f"Draws on a news release ({shown}): the issuer's own words, not reporting.",
            "conflicts": f"Says who paid for the work or names conflicts of interest ({shown}).",
            "caveats": f"States the limits of the evidence it reports ({shown}).",
            "hype": f"Uses promotional words that overstate what a source shows ({shown}).",
            "firsthand": f"Original reporting: the reporter spoke to sources directly ({shown}).",
        }[code]
    if code == "no_quotes":
        return "No direct quotes from accountable sources: the reader never hears anyone in their own words." \
            if value else None
    if code == "anonymous":
        k = round(value * n)
        return f"{_plural(k, 'claim')} {'rests' if k == 1 else 'rest'} on anonymous sources, and the article does not say why {'it is' if k == 1 else 'they are'} unnamed " \
               f"({round(100 * value)}% of attributions)." if k else None
    if code == "anonymous_explained":
        k = round(value * n)
        return f"{_plural(k, 'anonymous source')} with the reason for anonymity given, as newsroom standards ask." if k else None
    if code == "vague":
        k = round(value * n)
        return f"{_plural(k, 'claim')} {'rests' if k == 1 else 'rest'} on vague sources such as “critics”, “some” or an unstated agent " \
               f"({round(100 * value)}% of attributions)." if k else None
    if code == "unattributed":
        k = counts.get("unattributed_claims", 0)
        verb = "states" if k == 1 else "state"
        return f"{_plural(k, 'sentence')} of {f.summary['sentences']} ({round(100 * value)}%) {verb} checkable facts or " \
               "sweeping judgements with no source." if k else None
    if code == "secondhand":
        return _secondhand_reason(f, text_only=True)
    if code == "links":
        k = f.summary.get("linked_sources", 0)
        return f"Links to {'one of its sources' if k == 1 else f'{k} of its sources'}." if k else None
    return None


def _secondhand_reason(f: Facts, text_only: bool = False):
    secondhand = [a for a in f.typed if getattr(a, "secondhand", None)]
    if not secondhand:
        return None
    where = ", ".join(dict.fromkeys(a.secondhand for a in secondhand[:4]))
    text = (f"Secondhand: {_plural(len(secondhand), 'quote')} taken from {where} with no link to the original "
            "interview or broadcast.")
    return text if text_only else {"effect": 0, "code": "secondhand", "text": text}


# Below this share of sentences with a source, a weak article's sourcing is thin.
THIN_COVERAGE = 0.3


def _headline(grade: str, f: Facts, features: dict, genre: str | None, reasons: list[dict]) -> str:
    problems = []
    if features["interested_only"] and f.subjects:
        problems.append(f"Rests on {f.subjects[0].name}, the story's subject, with no independent voice")
    elif features["one_voice"] >= 0.4 and f.top is not None:
        problems.append(f"Relies largely on one voice ({f.voices[f.top[0]].name})")
    anonymous, vague = features["anonymous"] > 0, features["vague"] >= 0.2
    if anonymous and vague:
        problems.append("leans on anonymous and vague sources")
    elif anonymous:
        problems.append("leans on anonymous sources")
    elif vague:
        problems.append("leans on vague sources")
    if f.summary["counts"].get("unattributed_claims", 0) >= 3 and features["unattributed"] >= 0.15:
        problems.append("several claims have no source")
    if f.n and not features["direct_quotes"] and genre not in GENRE_NOTES:
        problems.append("no direct quotes from named sources")
    if grade == "strong":
        body = "Well sourced: claims are credited to named, accountable sources." if not problems else \
            "Mostly well sourced; " + problems[0][0].lower() + problems[0][1:] + "."
    elif not problems:
        # Not "few claims are credited" under an article that credits most of its sentences: the
        # reason that cost the most points says what holds it back.
        worst = min((r for r in reasons if r["effect"] < 0), key=lambda r: r["effect"], default=None)
        if grade == "weak" and features["coverage"] < THIN_COVERAGE:
            body = "Sourcing is thin: few claims are credited to anyone."
        elif worst is not None:
            body = worst["text"]
        else:
            body = "Mixed sourcing: some claims are credited, others are not." if grade != "weak" else \
                "Weak sourcing on balance: the article earns few of the points a well-sourced story does."
    else:
        text = "; ".join(problems)
        body = text[0].upper() + text[1:] + "."
    return body
