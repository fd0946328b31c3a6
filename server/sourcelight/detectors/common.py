"""What the detectors share: span groups, custom attributes, and small helpers over the parse."""
from __future__ import annotations

import logging
from bisect import bisect_left

from spacy.tokens import Doc, Span

log = logging.getLogger("sourcelight")

# Each detector writes only its own group (house rule 1).
SPAN_GROUPS = (
    "sourcing_quotes",
    "sourcing_attribution",
    "sourcing_hedges",
    "sourcing_claims",
)
SOURCE_TYPES = ("named_person", "named_organization", "named_outlet", "official",
                "document", "anonymous", "vague", "self")
NAMED_TYPES = ("named_person", "named_organization", "named_outlet")

for _name in ("why", "source_type", "rule"):
    if not Span.has_extension(_name):
        Span.set_extension(_name, default=None)
# Attribution records: plain dicts of code-point offsets, so they survive nlp.pipe(n_process>1).
if not Doc.has_extension("attributions"):
    Doc.set_extension("attributions", default=None)


TEXT_KEY = "sourcing_text"


def doc_text(doc: Doc) -> str:
    """The Doc's text, built once per Doc: `Doc.text` joins every token again on each access,
    and the detectors and build_analysis each need it."""
    text = doc.user_data.get(TEXT_KEY)
    if text is None:
        text = doc.user_data[TEXT_KEY] = doc.text
    return text


class DetectorError(RuntimeError):
    """A detector failed on this document; the analysis of this document is abandoned."""


def guarded(name: str):
    """Run a detector so that its failure is recorded on the Doc instead of ending nlp.pipe.

    build_analysis() raises DetectorError for such a Doc: the server answers 500 with a request
    id, `sourcelight batch` reports and skips that article and goes on with the rest.
    """
    def wrap(detector):
        def run(doc: Doc) -> Doc:
            try:
                return detector(doc)
            except Exception as error:  # noqa: BLE001 — reported through the Doc, see above
                log.exception("detector %s failed", name)
                doc.user_data.setdefault("sourcing_errors", []).append(f"{name}: {type(error).__name__}: {error}")
                return doc
        return run
    return wrap


def rule_matcher(nlp, rules_name: str):
    """A matcher over the token patterns of rules/<rules_name>.jsonl, and the rules by id."""
    from ..rules import load_rules

    rules = {rule["id"]: rule for rule in load_rules(rules_name)}
    return AnchoredMatcher(nlp.vocab, {rule_id: rule["pattern"] for rule_id, rule in rules.items()}), rules


def _required_words(pattern: list[dict]) -> list[tuple[str, frozenset[str]]]:
    """For each token the pattern requires (no "?", "*" or "!"), the words it must be by LOWER or
    LEMMA, where the pattern says: every match holds one word of each of these sets."""
    required = []
    for token in pattern:
        if token.get("OP") in ("?", "*", "!"):
            continue
        for attr in ("LOWER", "LEMMA"):
            value = token.get(attr)
            if isinstance(value, str):
                required.append((attr, frozenset([value])))
            elif isinstance(value, dict) and set(value) == {"IN"}:
                required.append((attr, frozenset(value["IN"])))
    return required


class AnchoredMatcher:
    """A spaCy Matcher run only over the sentences that could hold a match.

    The Matcher's cost grows with every token times every pattern, and most sentences of an
    article hold no hedge or claim wording: a sentence is matched only when, for some pattern, it
    holds a word of every set the pattern requires ("it" and a form of "be" and "said" for "it is
    said"), found in one pass over the Doc's LOWER, LEMMA and SENT_START columns. The matches are
    the same as over the whole Doc (checked on the 326 corpus articles), except that none spans two
    sentences."""

    def __init__(self, vocab, patterns: dict[str, list[dict]]):
        from spacy.matcher import Matcher

        self.matcher = Matcher(vocab, validate=True)
        requirements: dict[tuple[str, frozenset[str]], int] = {}
        self.patterns_needs: list[frozenset[int]] = []  # per pattern: the requirement ids it needs
        self.everywhere = False  # a pattern that requires no word: match the whole Doc
        for key, pattern in patterns.items():
            self.matcher.add(key, [pattern])
            needs = frozenset(requirements.setdefault(r, len(requirements)) for r in _required_words(pattern))
            self.everywhere |= not needs
            self.patterns_needs.append(needs)
        # LOWER / LEMMA hash -> the requirements it satisfies
        self._by_lower: dict[int, list[int]] = {}
        self._by_lemma: dict[int, list[int]] = {}
        for (attr, words), number in requirements.items():
            table = self._by_lower if attr == "LOWER" else self._by_lemma
            for word in words:
                table.setdefault(vocab.strings.add(word), []).append(number)

    def __call__(self, doc: Doc) -> list[tuple[int, int, int]]:
        from spacy.attrs import LEMMA, LOWER, SENT_START

        if self.everywhere or not len(doc) or not doc.has_annotation("SENT_START"):
            return self.matcher(doc)
        # Plain lists and dicts: numpy's per-call overhead outweighed the look-up on short texts.
        rows = doc.to_array([LOWER, LEMMA, SENT_START]).tolist()
        by_lower, by_lemma = self._by_lower, self._by_lemma
        starts, held = [0], {}  # sentence starts; sentence number -> requirements met in it
        for i, (lower, lemma, sent_start) in enumerate(rows):
            if sent_start == 1 and i:
                starts.append(i)
            if lower in by_lower or lemma in by_lemma:
                met = held.setdefault(len(starts) - 1, set())
                met.update(by_lower.get(lower, ()))
                met.update(by_lemma.get(lemma, ()))
        matches = []
        for k in sorted(held):
            if any(needs <= held[k] for needs in self.patterns_needs):
                start, end = starts[k], (starts[k + 1] if k + 1 < len(starts) else len(doc))
                matches.extend((match_id, start + s, start + e) for match_id, s, e in self.matcher(doc[start:end]))
        return matches


def make_span(doc: Doc, start_char: int, end_char: int, label: str, why: str,
              rule: str | None = None, source_type: str | None = None) -> Span | None:
    """A span snapped outward to token boundaries, with its explanation attached."""
    span = doc.char_span(start_char, end_char, label=label, alignment_mode="expand")
    if span is None or len(span) == 0:
        return None
    span._.why = why
    span._.rule = rule
    span._.source_type = source_type
    return span


def trim_span(doc: Doc, start: int, end: int, strip_punct: bool = True) -> tuple[int, int]:
    """Token range [start, end) without leading/trailing spaces (and punctuation)."""
    def skip(tok):
        return tok.is_space or (strip_punct and tok.is_punct and tok.text not in "%$")
    while start < end and skip(doc[start]):
        start += 1
    while end > start and skip(doc[end - 1]):
        end -= 1
    return start, end


def strip_edge_punct(doc: Doc, start: int, end: int) -> tuple[int, int]:
    """Drop commas/dashes at the edges, but keep quote marks that belong to the content."""
    while start < end and doc[start].is_punct and not doc[start].is_quote and doc[start].text not in "($":
        start += 1
    while end > start and doc[end - 1].is_punct and not doc[end - 1].is_quote and doc[end - 1].text not in ")%":
        end -= 1
    return start, end


def quote_char_spans(doc: Doc) -> list[tuple[int, int]]:
    return [(s.start_char, s.end_char) for s in doc.spans.get("sourcing_quotes", [])]


def sentence_bounds(span_or_token) -> tuple[int, int]:
    sent = span_or_token.sent
    return sent.start_char, sent.end_char


class EntityIndex:
    """The Doc's named entities, read once per detector run.

    `Doc.ents` rebuilds its tuple from every token on each access, and `Span.ents` reads
    `Doc.ents`: asked once per sentence or source, they make a long article cost quadratic time.
    """

    def __init__(self, doc: Doc):
        self.ents = tuple(doc.ents)
        self._starts = [ent.start for ent in self.ents]
        self._start_chars = [ent.start_char for ent in self.ents]

    def within(self, span: Span) -> list[Span]:
        """The entities lying wholly inside the span (as `span.ents`)."""
        found = []
        for i in range(bisect_left(self._starts, span.start), len(self.ents)):
            if self.ents[i].end > span.end:
                break
            found.append(self.ents[i])
        return found

    def last_before(self, char: int, label: str) -> Span | None:
        """The last entity with this label starting before a character offset."""
        for i in range(bisect_left(self._start_chars, char) - 1, -1, -1):
            if self.ents[i].label_ == label:
                return self.ents[i]
        return None


def reads_as_a_title(text: str, max_words: int = 8) -> bool:
    """'All Bets Are Off.', 'Rush of Blood': a few words, every long one capitalised — a headline,
    subheading or work title rather than a sentence someone said."""
    words = [word.strip("\"“”'‘’.,:;!?()") for word in text.split()]
    words = [word for word in words if word]
    return (0 < len(words) <= max_words and any(len(word) > 3 for word in words)
            and all(word[0].isupper() or len(word) <= 3 for word in words))
