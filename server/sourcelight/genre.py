"""What kind of work an article is: report, analysis, opinion, satire or other.

The page's own declaration wins (JSON-LD type, kicker label, section, URL path, a satire outlet's
domain: rules/genre_page.jsonl). When the page says nothing, a small multinomial logistic model over
cheap style features of the text decides (report / opinion / satire; analysis and other only from
explicit markers). The model is plain numbers in rules/genre_model.json, fitted by
scripts/fit_genre.py; nothing here needs scikit-learn.
"""
from __future__ import annotations

import json
import math
import re
from functools import lru_cache
from importlib import resources
from urllib.parse import urlsplit

import numpy as np
from spacy.attrs import IS_PUNCT, IS_SPACE, LIKE_NUM, LOWER, POS, SENT_START, TAG
from spacy.strings import hash_string
from spacy.symbols import ADJ, ADV, PROPN
from spacy.tokens import Doc

from .rules import load_rules

LABELS = ("report", "analysis", "opinion", "satire", "other")
MIN_WORDS = 50  # below this a text is a fragment: "other", with little confidence
Z_CLIP = 4.0

# Feature name -> (sentence when the feature is high, sentence when it is low or None).
# Rates are per word or per sentence, never raw counts, so length does not decide.
FEATURES: dict[str, tuple[str, str | None]] = {
    "first_person_singular": ("The writer speaks in the first person (\u201cI\u201d, \u201cmy\u201d) outside quotes",
                              "The writer stays out of it: hardly any \u201cI\u201d outside quotes"),
    "first_person_plural": ("It speaks as \u201cwe\u201d or \u201cour\u201d outside quotes", None),
    "second_person": ("It addresses the reader as \u201cyou\u201d", None),
    "third_person": ("It refers to people as \u201che\u201d, \u201cshe\u201d or \u201cthey\u201d outside quotes more than most",
                     "It rarely refers to people as \u201che\u201d or \u201cthey\u201d outside quotes"),
    "obligation": ("It says what should or must be done", None),
    "imperative_share": ("Sentences open with commands to the reader (\u201cLook at\u2026\u201d, \u201cLet\u2019s\u2026\u201d)",
                         None),
    "questions": ("It asks questions outside quotes", None),
    "conj_openings": ("Sentences often open with \u201cAnd\u201d, \u201cBut\u201d or \u201cSo\u201d, as a speaker does",
                      None),
    "attributed_share": ("Most sentences say who the information comes from",
                         "Few sentences say where the information comes from"),
    "quotes_per_sentence": ("It quotes people directly and often", "It quotes almost no one directly"),
    "said_per_sentence": ("It reports what people said or told, as news reports do",
                          "It rarely reports what anyone said"),
    "present_share": ("It is written mostly in the present tense, as argument and commentary are",
                      "It is written mostly in the past tense, as reports of events are"),
    "adjective_rate": ("It uses many adjectives", "It uses few adjectives"),
    "adverb_rate": ("It uses many adverbs", "It uses few adverbs"),
    "evaluative_rate": ("It uses many judging words, praising or condemning",
                        "It avoids judging words"),
    "intensifier_rate": ("It leans on intensifiers such as \u201cvery\u201d and \u201cabsolutely\u201d", None),
    "connective_rate": ("It argues with connectives such as \u201ctherefore\u201d and \u201cindeed\u201d", None),
    "contraction_rate": ("It has a conversational tone (contractions outside quotes)", None),
    "number_rate": ("It gives many figures and dates", "It gives few figures or dates"),
    "time_rate": ("It says when things happened (days, months, \u201cyesterday\u201d)",
                  "It hardly says when anything happened"),
    "proper_noun_rate": ("It names many people, places and organisations",
                         "It names few people, places or organisations"),
    "named_per_sentence": ("Many statements are credited to named sources",
                           "Few statements are credited to named sources"),
    "hedges_per_sentence": ("It hedges often (\u201cmay\u201d, \u201creportedly\u201d)", None),
    "quoted_share": ("Much of the text is direct quotation", None),
    "title_says": ("The headline reports what someone said or quotes them", None),
    "words_per_sentence": ("Its sentences are long", "Its sentences are short"),
    "negation_rate": ("It often denies or rejects (\u201cnot\u201d, \u201cnever\u201d) outside quotes", None),
}
FEATURE_NAMES = tuple(FEATURES)

_H = hash_string
_FIRST_SINGULAR = [_H(w) for w in ("i", "me", "my", "mine", "myself")]
_FIRST_PLURAL = [_H(w) for w in ("we", "our", "ours", "ourselves", "us")]
_SECOND = [_H(w) for w in ("you", "your", "yours", "yourself", "yourselves")]
_THIRD = [_H(w) for w in ("he", "him", "his", "she", "her", "hers", "they", "them", "their", "theirs")]
_TIME = [_H(w) for w in ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "january",
                         "february", "march", "april", "june", "july", "august", "september", "october",
                         "november", "december", "yesterday", "today", "tonight")]
_CONJ = [_H(w) for w in ("and", "but", "so", "yet", "or")]
_VB = _H("VB")
_OBLIGATION = [_H(w) for w in ("should", "must", "ought", "shouldn't", "mustn't", "shouldn\u2019t", "mustn\u2019t")]
_NEED = [_H(w) for w in ("need", "needs")]
_TO = _H("to")
_SAID = [_H(w) for w in ("said", "says", "say", "saying", "told", "tells", "according")]
_CONTRACTIONS = [_H(w) for w in ("n't", "n\u2019t", "'m", "\u2019m", "'re", "\u2019re", "'ve", "\u2019ve", "'ll",
                                 "\u2019ll", "'d", "\u2019d")]
_NEGATION = [_H(w) for w in ("not", "n't", "n\u2019t", "never", "no", "nothing", "nobody", "none", "neither", "nor")]
_QMARK = _H("?")
_PAST = [_H("VBD")]
_PRESENT = [_H("VBP"), _H("VBZ")]
_ADJ, _ADV, _PROPN = int(ADJ), int(ADV), int(PROPN)  # POS arrays hold the symbol ids

_TITLE_SAYS = re.compile(r"\b(?:says|said|tells|told|claims|announces|reports)\b|[\"\u201c\u2018']", re.IGNORECASE)

# Word classes looked up once per token: each word's hash carries one bit per class it belongs to.
_CLASSES = ("first_singular", "first_plural", "second", "third", "time", "conj", "obligation", "need", "said",
            "contractions", "negation", "evaluative", "intensifier", "connective")


@lru_cache(maxsize=1)
def _lexicon() -> tuple[np.ndarray, np.ndarray]:
    """(sorted word hashes, class bits per hash) for every class in _CLASSES."""
    members = {"first_singular": _FIRST_SINGULAR, "first_plural": _FIRST_PLURAL, "second": _SECOND, "third": _THIRD,
               "time": _TIME, "conj": _CONJ, "obligation": _OBLIGATION, "need": _NEED, "said": _SAID,
               "contractions": _CONTRACTIONS, "negation": _NEGATION,
               "evaluative": _word_hashes("evaluative"), "intensifier": _word_hashes("intensifier"),
               "connective": _word_hashes("connective")}
    bits: dict[int, int] = {}
    for index, name in enumerate(_CLASSES):
        for h in members[name]:
            bits[int(h)] = bits.get(int(h), 0) | (1 << index)
    hashes = np.array(sorted(bits), dtype=np.uint64)
    return hashes, np.array([bits[int(h)] for h in hashes], dtype=np.int64)


def _class_bits(lower: np.ndarray) -> np.ndarray:
    """Per token, the bits of the word classes its lower-cased form belongs to (one binary search)."""
    hashes, masks = _lexicon()
    index = np.minimum(np.searchsorted(hashes, lower), len(hashes) - 1)
    return np.where(hashes[index] == lower, masks[index], 0)


def _in_class(bits: np.ndarray, name: str) -> np.ndarray:
    return (bits & (1 << _CLASSES.index(name))) != 0


@lru_cache(maxsize=None)
def _word_hashes(kind: str) -> np.ndarray:
    return np.array(sorted(_H(rule["term"].lower()) for rule in load_rules("genre_words") if rule["kind"] == kind),
                    dtype=np.uint64)


def prepare_model(model: dict) -> dict:
    """The JSON model with its numbers as arrays, checked against FEATURE_NAMES."""
    if tuple(model["features"]) != FEATURE_NAMES:
        raise ValueError("rules/genre_model.json was fitted on other features; run scripts/fit_genre.py")
    prepared = dict(model, _coef=np.array(model["coef"], dtype=float),
                    _intercept=np.array(model["intercept"], dtype=float))
    if model.get("transform") == "quantile":
        # Per feature: increasing knots (training quantiles) and the normal score of each.
        prepared["_knots"] = [np.array(k, dtype=float) for k in model["knots"]]
        prepared["_levels"] = [np.array(v, dtype=float) for v in model["levels"]]
    else:
        prepared["_mean"] = np.array(model["mean"], dtype=float)
        prepared["_scale"] = np.array(model["scale"], dtype=float)
    return prepared


def standardise(x: np.ndarray, model: dict) -> np.ndarray:
    """Feature values -> standard scores: by training quantiles (piecewise linear) or sqrt + mean/scale."""
    if model.get("transform") == "quantile":
        return np.array([np.interp(v, k, lv) if len(k) > 1 else 0.0
                         for v, k, lv in zip(x, model["_knots"], model["_levels"])])
    if model.get("transform") == "sqrt":
        x = np.sqrt(np.maximum(x, 0.0))
    return np.clip((x - model["_mean"]) / model["_scale"], -Z_CLIP, Z_CLIP)


@lru_cache(maxsize=None)
def load_model() -> dict:
    path = resources.files("sourcelight") / "rules" / "genre_model.json"
    return prepare_model(json.loads(path.read_text(encoding="utf-8")))


# ------------------------------------------------------------------------------------------------
# Features
# ------------------------------------------------------------------------------------------------

def features(doc: Doc, summary: dict, *, title: str | None = None) -> dict[str, float]:
    """The style features of one analysed article, computed on the Doc's token arrays.

    Nothing here looks at how the text opens or at the headline's length or capitals: in the training corpus
    those record how each site was scraped (satire kept its datelines, mainstream texts lost theirs) and each
    site's headline style, not the genre, and they misled the model on other outlets."""
    n = len(doc)
    words = max(int(summary.get("words") or 0), 1)
    sentences = max(int(summary.get("sentences") or 0), 1)
    counts = summary.get("counts") or {}
    values = dict.fromkeys(FEATURE_NAMES, 0.0)
    if n:
        arr = doc.to_array([LOWER, TAG, POS, IS_PUNCT, IS_SPACE, LIKE_NUM, SENT_START])
        lower, tag, pos = arr[:, 0], arr[:, 1], arr[:, 2]
        is_word = (arr[:, 3] == 0) & (arr[:, 4] == 0)
        quoted = np.zeros(n, dtype=bool)
        for span in doc.spans.get("sourcing_quotes", ()):
            if span.label_ == "quote":
                quoted[span.start:span.end] = True
        outside = ~quoted
        words_outside = max(int((is_word & outside).sum()), 1)

        bits = _class_bits(lower)

        def rate_out(name: str) -> float:
            return float((_in_class(bits, name) & outside).sum()) / words_outside

        need_to = np.zeros(n, dtype=bool)
        need_to[:-1] = _in_class(bits[:-1], "need") & (lower[1:] == _TO)
        past = (tag == _PAST[0]) & outside
        present = ((tag == _PRESENT[0]) | (tag == _PRESENT[1])) & outside
        finite = int(past.sum() + present.sum())
        # The first word of each sentence outside quotes (sentence starts are rarely punctuation: a
        # leading quote mark or dash is skipped by looking one token on).
        starts = np.flatnonzero(arr[:, 6] == 1)
        starts = np.where(is_word[starts], starts, np.minimum(starts + 1, n - 1))
        starts = starts[is_word[starts] & outside[starts]]
        values.update({
            "first_person_singular": rate_out("first_singular"),
            "first_person_plural": rate_out("first_plural"),
            "second_person": rate_out("second"),
            "third_person": rate_out("third"),
            "obligation": float(((_in_class(bits, "obligation") | need_to) & outside).sum()) / sentences,
            "imperative_share": float((tag[starts] == _VB).sum()) / sentences,
            "questions": float(((lower == _QMARK) & outside).sum()) / sentences,
            "conj_openings": float(_in_class(bits[starts], "conj").sum()) / sentences,
            "said_per_sentence": float(_in_class(bits, "said").sum()) / sentences,
            "present_share": present.sum() / finite if finite else 0.5,
            "adjective_rate": float((pos == _ADJ).sum()) / words,
            "adverb_rate": float((pos == _ADV).sum()) / words,
            "evaluative_rate": rate_out("evaluative"),
            "intensifier_rate": rate_out("intensifier"),
            "connective_rate": rate_out("connective"),
            "contraction_rate": rate_out("contractions"),
            "number_rate": float((arr[:, 5] != 0).sum()) / words,
            "time_rate": float(_in_class(bits, "time").sum()) / words,
            "proper_noun_rate": float((pos == _PROPN).sum()) / words,
            "quoted_share": float((is_word & quoted).sum()) / words,
            "negation_rate": rate_out("negation"),
        })
    values.update({
        "attributed_share": float(summary.get("attributed_sentence_share") or 0.0),
        "quotes_per_sentence": float(counts.get("direct_quotes", 0)) / sentences,
        "named_per_sentence": float(counts.get("named", 0)) / sentences,
        "hedges_per_sentence": float(counts.get("hedges", 0)) / sentences,
        "words_per_sentence": words / sentences,
    })
    if title:
        values["title_says"] = 1.0 if _TITLE_SAYS.search(title) else 0.0
    return values


def score(values: dict[str, float], model: dict | None = None) -> tuple[dict[str, float], np.ndarray]:
    """Class probabilities of the fitted model, and the standardised features."""
    model = model or load_model()
    z = standardise(np.array([values[name] for name in FEATURE_NAMES], dtype=float), model)
    logits = model["_coef"] @ z + model["_intercept"]
    logits -= logits.max()
    p = np.exp(logits)
    p /= p.sum()
    return dict(zip(model["classes"], (float(v) for v in p))), z


def pick(probabilities: dict[str, float], model: dict | None = None) -> tuple[str, float]:
    """The class with the highest log-probability plus its decision offset (fitted by cross-validation, so
    opinion must win by a margin) that reaches its minimum probability (satire must be clear-cut)."""
    model = model or load_model()
    floors = model.get("min_probability") or {}
    offsets = model.get("offsets") or {}

    def key(label: str) -> float:
        return math.log(max(probabilities[label], 1e-300)) + offsets.get(label, 0.0)

    for label in sorted(probabilities, key=key, reverse=True):
        if probabilities[label] >= floors.get(label, 0.0):
            return label, probabilities[label]
    label = max(probabilities, key=probabilities.get)
    return label, probabilities[label]


def _text_signals(label: str, z: np.ndarray, limit: int = 3) -> list[str]:
    """The features that pushed most towards `label` against the other classes, as sentences."""
    model = load_model()
    classes = model["classes"]
    coef = model["_coef"]
    row = classes.index(label)
    others = [i for i in range(len(classes)) if i != row]
    push = (coef[row] - coef[others].mean(axis=0)) * z
    signals = []
    for index in np.argsort(-push):
        if push[index] <= 0.05 or len(signals) >= limit:
            break
        high, low = FEATURES[FEATURE_NAMES[index]]
        sentence = high if z[index] > 0 else low
        if sentence:
            signals.append(f"{sentence} (text).")
    return signals


# ------------------------------------------------------------------------------------------------
# Page and headline rules
# ------------------------------------------------------------------------------------------------

@lru_cache(maxsize=None)
def _compiled_rules() -> tuple[dict, ...]:
    compiled = []
    for rule in load_rules("genre_page"):
        entry = dict(rule)
        if "terms" in rule:
            entry["_terms"] = {t.lower(): t for t in rule["terms"]}
        if "pattern" in rule:
            flags = 0 if rule["match"] == "text_start" else re.IGNORECASE
            entry["_pattern"] = re.compile(rule["pattern"], flags)
        if rule["match"] == "site":
            entry["_domains"] = tuple(d.lower() for d in rule.get("domains", ()))
            entry["_names"] = {n.lower(): n for n in rule.get("names", ())}
            names = "|".join(re.escape(n) for n in sorted(rule.get("names", ()), key=len, reverse=True))
            # A credit in the dateline: "CITY (Outlet) —"
            entry["_credit"] = re.compile(r"\(\s*(" + names + r")(?:\.com)?\s*\)", re.IGNORECASE)
        compiled.append(entry)
    return tuple(compiled)


def _type_name(value: str) -> str:
    """"http://schema.org/OpinionNewsArticle" -> "opinionnewsarticle"."""
    return re.split(r"[/#:]", value.strip())[-1].lower()


def _phrase(value: str) -> str:
    return re.sub(r"[\s_]+", " ", value.strip().lower()).strip(" :|-\u2013\u2014")


def _host(url: str | None) -> str:
    if not url:
        return ""
    try:
        return (urlsplit(url if "//" in url else "//" + url).hostname or "").lower().removeprefix("www.")
    except ValueError:
        return ""


def _path_segments(url: str | None) -> list[str]:
    if not url:
        return []
    try:
        path = urlsplit(url if "//" in url else "//" + url).path
    except ValueError:
        return []
    return [s.lower() for s in path.split("/")[:-1] if s]  # the last segment is the article's slug


def rule_matches(page: dict | None, url: str | None, title: str | None, opening: str) -> list[tuple[dict, str, str]]:
    """(rule, matched value, "page" | "text") for every rule that fires."""
    page = page or {}
    types = [_type_name(t) for t in page.get("types") or () if isinstance(t, str)]
    labels = [_phrase(v) for v in page.get("labels") or () if isinstance(v, str)]
    section = page.get("section") if isinstance(page.get("section"), str) else ""
    section_parts = [_phrase(p) for p in re.split(r"[|/>,\u203a\u00bb]", section) if p.strip()]
    site_name = _phrase(page.get("site_name")) if isinstance(page.get("site_name"), str) else ""
    host = _host(url)
    segments = _path_segments(url)
    found = []
    for rule in _compiled_rules():
        kind = rule["match"]
        if kind == "type":
            for value in types:
                if value in rule["_terms"]:
                    found.append((rule, rule["_terms"][value], "page"))
                    break
        elif kind == "label":
            for value in labels:
                if value in rule["_terms"]:
                    found.append((rule, value.capitalize(), "page"))
                    break
        elif kind == "section":
            for value in section_parts:
                if value in rule["_terms"]:
                    found.append((rule, value.title(), "page"))
                    break
        elif kind == "url_path":
            for value in segments:
                if value in rule["_terms"]:
                    found.append((rule, value, "page"))
                    break
        elif kind == "site":
            domain = next((d for d in rule["_domains"] if host == d or host.endswith("." + d)), None)
            if domain:
                found.append((rule, domain, "page"))
            elif site_name and site_name in rule["_names"]:
                found.append((rule, rule["_names"][site_name], "page"))
            else:
                credit = rule["_credit"].search(opening[:300])
                if credit:
                    name = rule["_names"].get(credit.group(1).lower(), credit.group(1))
                    found.append((dict(rule, confidence=min(rule["confidence"], 0.9),
                                       signal="The dateline credits {value}, a satire outlet."), name, "text"))
        elif kind == "title" and title:
            match = rule["_pattern"].search(title)
            if match:
                found.append((rule, match.group(1).strip(), "text"))
        elif kind == "text_start" and opening:
            match = rule["_pattern"].match(opening)
            if match:
                found.append((rule, match.group(1).strip(), "text"))
    return found


# ------------------------------------------------------------------------------------------------
# The classifier
# ------------------------------------------------------------------------------------------------

def classify_genre(doc: Doc, summary: dict, *, page=None, url=None, title=None, text: str | None = None) -> dict:
    """{"label", "confidence", "from": "page" | "text", "signals": [sentences]} for one analysed article."""
    n = len(doc)
    opening = text[:300] if text is not None else (doc[:min(n, 80)].text if n else "")
    matches = rule_matches(page if isinstance(page, dict) else None, url, title, opening)
    if matches:
        # The most confident declaration wins; declarations from the page beat those in the text.
        best_rule, _, best_from = max(matches, key=lambda m: (m[2] == "page", m[0]["confidence"]))
        label = best_rule["label"]
        signals = []
        for rule, value, origin in matches:
            if rule["label"] == label:
                sentence = rule["signal"].format(value=value)
                if sentence not in signals:
                    signals.append(sentence)
        return {"label": label, "confidence": round(float(best_rule["confidence"]), 2), "from": best_from,
                "signals": signals[:3]}
    words = int(summary.get("words") or 0)
    if words < MIN_WORDS:
        return {"label": "other", "confidence": 0.5, "from": "text",
                "signals": [f"Only {words} words: a fragment rather than a whole article (text)."]}
    probabilities, z = score(features(doc, summary, title=title))
    label, confidence = pick(probabilities)
    signals = _text_signals(label, z)
    if label == "satire":
        signals.insert(0, "Its style is closer to satire sites' mock news than to real reports; "
                          "satire is hard to tell from the text alone (text).")
    return {"label": label, "confidence": round(confidence, 2) if math.isfinite(confidence) else 0.0,
            "from": "text", "signals": signals}
