"""Where the article's quotations stand relative to a cue: the quote index every attribution
reader shares, and the tests of adjacency ('“…,” she said', 'he said: “…”') and of widening a
content to the whole quotation it is part of.
"""
from __future__ import annotations

from bisect import bisect_left
from collections import defaultdict
from itertools import accumulate
from heapq import heapify, heappop, heappush

from spacy.tokens import Doc, Span, Token


# How far (in tokens) a quote may sit from its cue and still be the cue's content.
QUOTE_REACH = 4


# What may stand between them: '“…,” she said' / 'she said: “…”' — never a full stop.
QUOTE_BEFORE_GLUE = {",", "—", "–", "-"}


QUOTE_AFTER_GLUE = {",", ":", "—", "–"}


def quoted_token_ids(doc: Doc) -> set[int]:
    """Tokens inside closed direct quotations: words there belong to the quoted speaker.

    A quote whose closing mark is missing is not trusted this far: it may run past its end."""
    unclosed = set(doc.user_data.get("sourcing_unclosed_quotes", ()))
    return {i for q in doc.spans.get("sourcing_quotes", []) if q.label_ == "quote" and (q.start, q.end) not in unclosed
            for i in range(q.start + 1, q.end - 1)}


class QuoteIndex(list):
    """The article's quote spans, in detector order, with lookups by token.

    Every cue candidate asks which quotes touch its content, stand beside it or contain its
    subject; scanning all quotes for each would make a long article cost quadratic time.
    """

    def __init__(self, quotes):
        super().__init__(quotes)
        self._by_start = sorted(range(len(self)), key=lambda n: self[n].start)  # positions by start
        self._starts = [self[n].start for n in self._by_start]
        self._max_end = list(accumulate((self[n].end for n in self._by_start), max))  # running max, same order
        self._ending = defaultdict(list)     # token index -> quotes ending there
        self._starting = defaultdict(list)   # token index -> quotes starting there
        self._strictly_inside = set()        # tokens between a quote's first and last token
        for n, quote in enumerate(self):
            self._ending[quote.end].append(n)
            self._starting[quote.start].append(n)
            self._strictly_inside.update(range(quote.start + 1, quote.end - 1))

    def touching(self, start: int, end: int) -> list[int]:
        """Positions of the quotes overlapping tokens [start, end) (q.start < end and start < q.end), in order."""
        found = []
        j = bisect_left(self._starts, end) - 1  # the last quote, by start, that starts before `end`
        while j >= 0 and self._max_end[j] > start:  # no quote at or before j reaches `start` otherwise
            n = self._by_start[j]
            if self[n].end > start:
                found.append(n)
            j -= 1
        return sorted(found)

    def ending_in(self, first: int, last: int) -> list[int]:
        return [n for i in range(first, last + 1) for n in self._ending.get(i, ())]

    def starting_in(self, first: int, last: int) -> list[int]:
        return [n for i in range(first, last + 1) for n in self._starting.get(i, ())]

    def strictly_inside(self, i: int) -> bool:
        return i in self._strictly_inside


def adjacent_quote(verb: Token, subject: Token | None, quotes: QuoteIndex) -> Span | None:
    """A quote right before '(, ) X said' or right after 'X said:' in the same paragraph."""
    group_start, group_end = verb.i, verb.i + 1
    # A subject borrowed from another verb ("Trump has tried …, accusing her") does not bring the
    # quote before it: that quote is the other verb's business.
    if subject is not None and subject.head.i == verb.i:
        group_start = min(group_start, subject.left_edge.i)
        group_end = max(group_end, subject.right_edge.i + 1)
    doc = verb.doc
    near = sorted(set(quotes.ending_in(group_start - QUOTE_REACH, group_start)
                      + quotes.starting_in(group_end, group_end + QUOTE_REACH)))
    for quote in (quotes[n] for n in near):
        gap_before = group_start - quote.end
        gap_after = quote.start - group_end
        # A quote before its cue is in the cue's paragraph ('“…,” she said'), never the paragraph before.
        if 0 <= gap_before <= QUOTE_REACH and only_glue(doc[quote.end:group_start], QUOTE_BEFORE_GLUE) \
                and not any("\n" in t.text for t in doc[quote.end:group_start]):
            return quote
        if 0 <= gap_after <= QUOTE_REACH and only_glue(doc[group_end:quote.start], QUOTE_AFTER_GLUE):
            return quote
    return None


def quote_after_colon(verb: Token, obj: Token | None, quotes: QuoteIndex) -> Span | None:
    """'He added: “…”', 'released the following statement: “…”': a colon closing the verb's
    clause announces the quotation after it, whatever quotation came before."""
    doc = verb.doc
    end = max(verb.i, obj.right_edge.i if obj is not None and obj.i > verb.i else verb.i) + 1
    while end < len(doc) and doc[end].dep_ == "prt":
        end += 1
    # The parser may hang the colon (and the line break after it) on the object itself.
    while end - 1 > verb.i and (doc[end - 1].is_space or doc[end - 1].text == ":"):
        end -= 1
    if end >= len(doc) or doc[end].text != ":":
        return None
    for n in quotes.starting_in(end + 1, end + 3):
        quote = quotes[n]
        if quote.label_ == "quote":  # also across a line break: 'released the following statement:\n\n“…”'
            return quote
    return _quoted_paragraph_after(doc, end)


def _quoted_paragraph_after(doc, colon: int) -> Span | None:
    """'Caddell continued:\n\n"The health issue …': a colon that ends its paragraph and a next
    paragraph that opens with a quote mark, closed or not (long quotations run over paragraphs
    with no closing mark): that paragraph is what was said."""
    start = colon + 1
    if start >= len(doc) or not (doc[start].is_space and "\n" in doc[start].text):
        return None
    start += 1
    if start >= len(doc) or not doc[start].is_quote or doc[start].text in ("”", "’"):
        return None
    end = next((t.i for t in doc[start:] if t.is_space and "\n" in t.text), len(doc))
    return doc[start:end] if end - start > 3 else None


def with_quotes(span: Span, quotes: QuoteIndex) -> Span:
    """Widen content to the whole quotation it is part of (quotes run over sentences).

    Quotes are taken in order; one that touches the content only once an earlier one has widened
    it is taken too, as a scan over every quote would."""
    start, end = span.start, span.end
    pending = quotes.touching(start, end)
    seen = set(pending)
    heapify(pending)
    while pending:
        n = heappop(pending)
        quote = quotes[n]
        if quote.label_ == "quote" and quote.start < end and start < quote.end:
            wider_start, wider_end = min(start, quote.start), max(end, quote.end)
            added = ((quotes.touching(wider_start, start) if wider_start < start else [])
                     + (quotes.touching(end, wider_end) if end < wider_end else []))
            for later in added:
                if later > n and later not in seen:
                    seen.add(later)
                    heappush(pending, later)
            start, end = wider_start, wider_end
    return span.doc[start:end]


def closes_sentence(quote: Span) -> bool:
    """The quotation ends with its own full stop ('“… government.”'), not a comma ('“…,” she said').
    A question or exclamation mark may still lead into its speaker ('“Why now?” she asked them')."""
    last = quote[-2] if len(quote) >= 2 and quote[-1].is_quote else quote[-1]
    return last.text in (".", "…")


def inside_quote(token: Token, quotes: QuoteIndex) -> bool:
    return quotes.strictly_inside(token.i)


def only_glue(span: Span, glue: set[str]) -> bool:
    """Nothing but these punctuation marks (or spaces) between a quote and its cue."""
    return all(t.is_space or t.text in glue for t in span)


def is_quote_span(content: Span, quotes: QuoteIndex) -> bool:
    """Content that is (almost) all quotation: it is shown as a direct quote."""
    inside = 0
    for q in (quotes[n] for n in quotes.touching(content.start, content.end)):
        if q.label_ == "quote":
            inside += max(0, min(q.end, content.end) - max(q.start, content.start))
    return inside >= 0.6 * len(content)
