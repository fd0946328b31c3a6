"""Attributions framed by a phrase or a layout rather than read off a cue verb: "according to X",
"based on interviews with X", "In the latest Reuters/Ipsos poll, …", transcript speaker tags
("WALLACE: …", and headlines such as "Sanders: …"), dash credits ('“…” ― Maria Lopez') and colon
credits ('More from Jones: “…”').

`FrameRules` is mixed into attribution.py's finder, whose `_add` records what these rules find.
Also here: which nouns name sources, and whether a source can say or show anything at all.
"""
from __future__ import annotations

import re

from spacy.tokens import Span, Token

from ..ranges import RangeIndex
from ..rules import load_rules
from .common import doc_text, reads_as_a_title, strip_edge_punct, trim_span
from .quote_index import with_quotes
from .subjects import noun_phrase

# "WALLACE: If I may ..." — a transcript or interview speaker tag at the start of a line.
# A transcript quoted paragraph by paragraph opens each line with a quote mark: '"WALLACE: …'.
# A headline's tag may say to whom or where ("Clinton to Planned Parenthood: …", "Former AG Mukasey
# at RNC: …"): the speaker is the name before "to" / "at".
_NAME_WORD = r"[A-Z][\w.'’\-]*"
# A place as a line's tag, with at least this many words after it, is a dateline, not a speaker.
DATELINE_BODY_TOKENS = 12
SPEAKER_TAG = re.compile(rf"^[ \t]*[\"“]?(?P<tag>(?:{_NAME_WORD})(?:[ \t]+(?:{_NAME_WORD}|of|the|de|van|von)){{0,4}})"
                         rf"(?P<setting>[ \t]+(?:to|at|To|At)[ \t]+{_NAME_WORD}(?:[ \t]+(?:{_NAME_WORD}|of|the)){{0,5}})?"
                         r":[ \t]+(?P<body>\S[^\n]*)$", re.M)
# '“…” ― Pamela Padilla': a quotation credited with a dash, as in reader roundups and epigraphs.
DASH_CREDIT = re.compile(r"[ \t\u00a0]*(?:[―—–]|--)[ \t\u00a0]*(?P<name>@\w+|[A-Z][\w.'’\-]+(?:[ \t\u00a0]+[A-Z][\w.'’\-]+){0,3})")


# Words of a name that end in a full stop and still go on: initials and the usual abbreviations.
NAME_ABBREVIATIONS = {"jr.", "sr.", "dr.", "st.", "mr.", "mrs.", "ms.", "rev.", "gen.", "sen.", "rep.", "gov."}


def _name_length(name: str) -> int:
    """"— Donald Trump. That’s religious discrimination": the name ends at the sentence's full stop
    (not at an initial's, "Donald J. Trump", or an abbreviation's, "Martin Luther King Jr.")."""
    at = 0
    for word in re.finditer(r"\S+", name):
        text = word.group()
        if text.endswith(".") and len(text) > 2 and text.lower() not in NAME_ABBREVIATIONS:
            return word.end() - 1
        at = word.end()
    return at


# A speaker named before a colon: a few words of a name ("Republican pollster Daron Shaw").
MAX_CREDIT_TOKENS = 8
CREDIT_POS = {"PROPN", "NOUN", "ADJ", "DET", "PART"}


def _quoted_title(match: re.Match) -> bool:
    """'“Until Dawn: Rush of Blood” ($20)': a quoted title with a subtitle, not a speaker's line —
    the quotation closes within a few capitalised words (a transcript's '"PENCE: Well, look, …'
    goes on in plain words)."""
    if not match.group(0).lstrip(" \t").startswith(("\"", "“")):
        return False
    title = re.match(r"([^\"”]{1,80})[\"”]", match.group("body"))
    return title is not None and reads_as_a_title(title.group(1))


def source_nouns() -> dict[str, str]:
    """Head nouns of sources (officials, critics, reports, campaigns ...), from rules/source_lexicon."""
    if not _source_nouns:
        _source_nouns.update({r["term"]: r["type"] for r in load_rules("source_lexicon")})
        _source_nouns.update({r["term"]: "person" for r in load_rules("human_nouns")})
    return _source_nouns


_source_nouns: dict[str, str] = {}


ANIMATE_PRONOUNS = {"i", "we", "you", "he", "she", "they", "it", "who", "which", "that", "one", "someone",
                    "everyone", "others", "some", "many", "most", "both", "all", "each", "this", "these"}


def can_hold_a_view(source: Span | None) -> bool:
    """A person, group, organisation, outlet or document — something that can say or show."""
    if source is None:
        return False
    root = source.root
    if root.lower_ in ANIMATE_PRONOUNS or root.pos_ == "PROPN" or root.ent_type_ in ("PERSON", "ORG", "NORP", "GPE"):
        return True
    return root.lemma_.lower() in source_nouns() or root.lower_ in source_nouns()


def _longer_side(doc, start: int, phrase_start: int, phrase_end: int, end: int) -> tuple[int, int]:
    """Of the stretch before a framing phrase and the stretch after it (trimmed), the longer;
    the one after on a tie."""
    left, right = trim_span(doc, start, phrase_start), trim_span(doc, phrase_end, end)
    return right if (right[1] - right[0]) >= (left[1] - left[0]) else left


class FrameRules:
    """The finder's rules for framed attributions (needs self.doc, self.detector, self.quotes,
    self.records, self.used_cue_tokens and self._add from attribution._Finder)."""

    # --- "according to", "based on interviews with" ------------------------------------------
    def _according_to(self, according: Token) -> bool:
        to = self.doc[according.i + 1] if according.i + 1 < len(self.doc) else None
        if to is None or to.lower_ != "to":
            return False
        pobj = next((c for c in to.children if c.dep_ == "pobj"), None) or next(
            (c for c in according.children if c.dep_ == "pobj"), None)
        if pobj is None:
            return False
        source = noun_phrase(pobj, None)
        cue = self.doc[according.i:to.i + 1]
        sent = according.sent
        phrase_start, phrase_end = according.i, max(pobj.right_edge.i, to.i) + 1
        # The content is the rest of the sentence, on whichever side of the phrase it sits.
        start, end = _longer_side(self.doc, sent.start, phrase_start, phrase_end, sent.end)
        if end <= start or source is None:
            return False
        self._add(source, cue, with_quotes(self.doc[start:end], self.quotes), according, rule="according_to",
                  why_cue="“according to” credits the claim to a source.")
        return True

    def _in_a_poll(self, ins: list[Token]) -> None:
        """'In the latest Reuters/Ipsos poll, Trump leads by two points': the finding is the poll's.
        Only a poll or survey: on PolNeAR's training split "in a/the … poll" framed an attribution 30
        times in 55, "in the polls" 10 in 80, "in a … report" never. A clause whose verb is already
        a cue keeps that cue."""
        cue_heads = {record["cue_head"] for record in self.records if record.get("cue_head") is not None}
        for token in ins:
            if token.dep_ != "prep" or token.i in self.used_cue_tokens:
                continue
            head, pobj = token.head, next((c for c in token.children if c.dep_ == "pobj"), None)
            # Singular only: "in the polls" is mostly an idiom ("mired in single digits in the polls").
            if pobj is None or pobj.tag_ != "NN" or pobj.lemma_.lower() not in self.detector.poll_nouns \
                    or head.pos_ not in ("VERB", "AUX"):
                continue
            if head.i in cue_heads or any(t.i in cue_heads for t in head.subtree if t.dep_ in ("ccomp", "conj")):
                continue
            source = noun_phrase(pobj, None)
            # The content is the rest of the clause, on whichever side of "in …" it sits.
            start, end = trim_span(self.doc, head.left_edge.i, head.right_edge.i + 1)
            start, end = strip_edge_punct(self.doc, *_longer_side(self.doc, start, token.i, pobj.right_edge.i + 1, end))
            if source is None or end - start < 3:
                continue
            self._add(source, self.doc[token.i:token.i + 1], self.doc[start:end], token, rule="in_a_poll",
                      why_cue="“in” frames the finding as the poll's or survey's.")

    def _sourcing_phrase(self, token: Token) -> bool:
        """'based on (interviews with) X': X is a source the reporting rests on."""
        if token.lower_ not in self.detector.phrase_openers:
            return False
        for phrase in self.detector.phrases:
            words = phrase["words"]
            end = token.i + len(words)
            if end > len(self.doc) or [t.lower_ for t in self.doc[token.i:end]] != words:
                continue
            anchor = self.doc[end - 1]
            objects = [c for c in anchor.children if c.dep_ in ("pobj", "dobj")]
            if not objects and phrase.get("object_after") and end < len(self.doc) and self.doc[end].pos_ in ("NOUN", "PROPN"):
                objects = [self.doc[end]]
            if not objects:
                continue
            obj = objects[0]
            if obj.lemma_.lower() in ("interview", "conversation", "talk", "discussion"):
                inner = next((c for c in obj.children if c.dep_ == "prep" and c.lower_ == "with"), None)
                obj = next((c for c in inner.children if c.dep_ == "pobj"), obj) if inner else obj
            holder = token.head
            content = noun_phrase(holder, token) if holder.pos_ in ("NOUN", "PROPN") else None
            if content is None:
                s, e = trim_span(self.doc, token.sent.start, token.i)
                if e <= s:
                    continue
                content = self.doc[s:e]
            cue = self.doc[token.i:end]
            for conjunct in [obj, *obj.conjuncts]:
                source = noun_phrase(conjunct, None, drop_conjuncts=True)
                # "discounts based on need", "drawing on home equity": not a source the reporting rests on.
                if source is not None and can_hold_a_view(source):
                    self._add(source, cue, content, token, rule=f"phrase:{phrase['id']}",
                              why_cue=f"“{cue.text}” names what the reporting rests on.")
            return True
        return False

    # --- transcripts and credits ---------------------------------------------------------------
    def _speaker_tags(self) -> None:
        """'MS. CLINTON: We will ...': the tag is the speaker, the line is what they said."""
        text = doc_text(self.doc)
        for match in SPEAKER_TAG.finditer(text):
            tag, body = match.group("tag"), match.group("body")
            if tag.lower() in self.detector.not_speakers or len(body.split()) < 3 or _quoted_title(match):
                continue
            colon_at = match.end("setting") if match.group("setting") else match.end("tag")
            if match.group("setting") and self._infinitive_setting(match):
                continue  # "Limited Tools to Fight Terrorism: …" is a title, "to" opens no listener
            source = self.doc.char_span(match.start("tag"), match.end("tag"), alignment_mode="expand")
            cue = self.doc.char_span(colon_at, colon_at + 1, alignment_mode="expand")
            content = self.doc.char_span(match.start("body"), match.end("body"), alignment_mode="expand")
            if source is None or cue is None or content is None or not self._names_a_speaker(source):
                continue
            # "Bengaluru: Recently one minister was caught …": a place opening a long line is a
            # dateline ("Russia: We will respond" stays a headline's speaker).
            if all(t.ent_type_ in ("GPE", "LOC") and not t.is_upper for t in source) and len(content) >= DATELINE_BODY_TOKENS:
                continue
            # A transcript line quoted whole ('"PENCE: Well, …"'): the words start after the tag.
            quoted = with_quotes(content, self.quotes)
            content = self.doc[max(quoted.start, content.start):quoted.end]
            if len(content) > 1 and content[-1].text == "." and not any(t.text in ".?!" for t in content[:-1]):
                # A headline's one sentence ("Poll: Clinton and Trump in dead heat.") is marked
                # without its stop; a transcript's lines keep theirs.
                content = content[:-1]
            self._add(source, cue, content, source[0], rule="speaker_tag",
                      why_cue=f"Speaker tag: the line gives the words of {tag}.")

    def _infinitive_setting(self, match: re.Match) -> bool:
        words = match.group("setting").split()
        at = match.start("setting") + match.group("setting").index(words[1])
        token = self.doc.char_span(at, at + len(words[1]), alignment_mode="expand")
        return words[0].lower() == "to" and (token is None or token[0].pos_ in ("VERB", "AUX"))

    def _names_a_speaker(self, tag: Span) -> bool:
        """A tag names a speaker when it holds a name or a capitalised tag, or ends in a source noun
        ("Poll: …", "Insiders: …"). A headline's opening word is often tagged NOUN ("Sanders: …"),
        so a capitalised word the parser reads as a name elsewhere in the article counts too."""
        # A Title Case heading is all proper nouns to the tagger ("Delegate Update: …", "Editor's
        # Note: …"): a name needs the entity model's word, or a transcript's capitals.
        if any(t.ent_type_ in ("PERSON", "ORG", "GPE", "NORP") or t.is_upper for t in tag):
            return True
        if tag[-1].lower_ in source_nouns() or tag[-1].lemma_.lower() in source_nouns():
            return True
        words = {t.text for t in tag if t.is_title}
        return any(t.text in words and t.i not in range(tag.start, tag.end)
                   and (t.pos_ == "PROPN" or t.ent_type_ in ("PERSON", "ORG")) for t in self.doc)

    def _colon_credits(self) -> None:
        """'The surge doesn’t surprise Republican pollster Daron Shaw: “Historically, …”', 'More from
        Jones: “…”': a name (or a source noun) right before a colon that opens a quotation is its
        speaker. Read after the cue verbs, which take the colon first ('told CNN: “…”'); a name
        after "to", "for", "at" is whom or where, not who."""
        doc = self.doc
        taken = RangeIndex((r["content"][0], r["content"][1]) for r in self.records if r.get("content"))
        for quote in self.quotes:
            if quote.label_ != "quote" or quote.start < 2 or taken.overlaps(quote.start_char, quote.end_char):
                continue
            colon = quote.start - 1
            while colon > 0 and doc[colon].is_space:
                colon -= 1
            if doc[colon].text != ":" or colon in self.used_cue_tokens:
                continue
            start = colon
            while (start > 0 and colon - start < MAX_CREDIT_TOKENS and not doc[start - 1].is_sent_end
                   and (doc[start - 1].pos_ in CREDIT_POS or doc[start - 1].ent_type_ in ("PERSON", "ORG"))):
                start -= 1
            name = doc[start:colon]
            before = doc[start - 1] if start > 0 else None
            if not len(name) or any(t.ent_type_ in ("DATE", "TIME") for t in name):
                continue
            if before is not None and before.pos_ == "ADP" and before.lower_ != "from":
                continue
            if not (any(t.pos_ == "PROPN" or t.ent_type_ in ("PERSON", "ORG") for t in name)
                    or name[-1].lemma_.lower() in source_nouns()):
                continue
            self._add(name, doc[colon:colon + 1], quote, name[-1], rule="colon_credit",
                      why_cue=f"The colon after {name.text} opens the quotation: these are its words.")

    def _dash_credits(self) -> None:
        text = doc_text(self.doc)
        for quote in self.quotes:
            if quote.label_ != "quote":
                continue
            # The tokenizer may glue the dash to the closing mark ("”―"): start at the dash then.
            last = quote[-1]
            dash_at = next((last.idx + k for k, ch in enumerate(last.text) if ch in "―—–" and k > 0), None)
            match = DASH_CREDIT.match(text, dash_at if dash_at is not None else quote.end_char)
            if not match:
                continue
            name = self.doc.char_span(match.start("name"), match.start("name") + _name_length(match.group("name")),
                                      alignment_mode="expand")
            dash = self.doc.char_span(match.start(), match.start("name"), alignment_mode="expand")
            if name is None or dash is None:
                continue
            cue_tokens = [t for t in dash if not t.is_space]
            if not cue_tokens:
                continue
            self._add(name, self.doc[cue_tokens[0].i:cue_tokens[-1].i + 1], quote, name[0], rule="dash_credit",
                      why_cue="The dash credits the quotation to the name after it.")
