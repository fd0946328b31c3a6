"""Voices, not mentions: every mention of a source grouped into the one voice it stands for.

The source typer already links pronouns and surnames to the person they name. Here the rest of
a voice is gathered: "the company" and "the U.S. drugmaker" are the organisation named just
before; "a Merck spokeswoman", "Merck's chief executive" and "Jane Doe, a spokeswoman for Merck"
speak for Merck. Each voice is then marked as the story's **subject** or **independent**, or
neither (voice_roles.py).

Word lists and patterns are data: rules/voices.jsonl.
"""
from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass, field
from functools import lru_cache

from .rules import load_rules

ORG_TYPES = ("named_organization",)
# How far back (characters) "the company" looks for the organisation it stands for.
DESCRIPTOR_WINDOW = 3000
# How far past a name the introducing clause is read ("Jane Doe, a cardiologist who was not involved").
INTRO_WINDOW = 220
DEFINITE = re.compile(r"^(?:the|this|that|its|their)\s+", re.I)
NATIONALITY = re.compile(r"(?:an|ian|ean|ish|ese|ic|i)$")
POSSESSIVE = re.compile(r"(?:['’]s|['’])$")
# Generational suffixes: "Donald Trump Jr." is a Trump, and not his father.
SUFFIXES = {"jr", "jr.", "sr", "sr.", "ii", "iii", "iv"}


def surname_in(name: str) -> str:
    """The surname of a full name as written ("Hicks" of "Tom Hicks Jr.")."""
    words = name.split()
    return words[-2] if len(words) > 2 and words[-1].lower() in SUFFIXES else words[-1]


@dataclass
class VoiceRules:
    descriptors: frozenset
    speaks_for: re.Pattern
    speaks_for_terms: str  # the alternation inside speaks_for, for building larger patterns
    independent: tuple  # (all patterns as one alternation, [(pattern, why)])
    subject: tuple
    possession: str
    regulators: frozenset
    study_authors: re.Pattern
    cites_study: re.Pattern
    role_after_name: re.Pattern   # ", a spokeswoman for " right after a person's name
    role_before_name: re.Pattern  # "… chief executive " right before it
    possession_words: frozenset
    # What kind of body a word says an organisation is ("agency": public, "firm": business).
    kind_families: dict = field(default_factory=dict)


def _pattern_family(rules: list[dict]) -> tuple[re.Pattern, list[tuple[re.Pattern, str]]]:
    """One alternation to find a match quickly (windows are searched many times), and each rule
    alone with its `why`, to say which one it was."""
    combined = re.compile("|".join(f"(?:{r['pattern']})" for r in rules), re.I)
    return combined, [(re.compile(r["pattern"], re.I), r["why"]) for r in rules]


@lru_cache(maxsize=1)
def voice_rules() -> VoiceRules:
    rules = load_rules("voices")
    terms = lambda kind: sorted((r["term"] for r in rules if r["kind"] == kind), key=len, reverse=True)  # noqa: E731
    roles = "|".join(re.escape(t) for t in terms("speaks_for"))
    return VoiceRules(
        descriptors=frozenset(terms("org_descriptor")),
        speaks_for=re.compile(rf"\b(?:{roles})\b", re.I),
        speaks_for_terms=roles,
        independent=_pattern_family([r for r in rules if r["kind"] == "independent"]),
        subject=_pattern_family([r for r in rules if r["kind"] == "subject"]),
        possession="|".join(re.escape(t) for t in terms("subject_possession")),
        regulators=frozenset(terms("regulator")),
        study_authors=next(re.compile(r["pattern"], re.I) for r in rules if r["kind"] == "study_authors"),
        cites_study=next(re.compile(r["pattern"], re.I) for r in rules if r["kind"] == "cites_study"),
        role_after_name=re.compile(rf"\s*,\s*(?:(?:a|an|the|its)\s+)?(?:[\w.-]+\s+){{0,3}}?(?:{roles})"
                                   rf"\s+(?:for|of|at|with)\s+(?:the\s+)?", re.I),
        role_before_name=re.compile(rf"(?:{roles})\s*,?\s*$", re.I),
        possession_words=frozenset(t.lower() for t in terms("subject_possession")),
        kind_families={r["term"]: r["family"] for r in rules if r["kind"] in ("org_descriptor", "org_kind_word")},
    )


@dataclass
class Voice:
    name: str
    source_type: str
    mentions: list = field(default_factory=list)      # Marks of the source spans
    attributions: list = field(default_factory=list)  # indices into Analysis.attributions
    role: str | None = None                          # "subject", "independent" or None
    role_why: str | None = None
    aliases: list = field(default_factory=list)       # other ways the article refers to it
    key: str = ""
    resolved: bool = True  # False for a bare pronoun ("who", "it") the typer could not resolve


def study_authors_phrase(text: str) -> bool:
    """"the researchers", "the study's authors", "study authors": the people behind a study."""
    return bool(voice_rules().study_authors.match(" ".join(text.split())))


def cites_study(text: str) -> bool:
    return bool(voice_rules().cites_study.search(text))


def normalise(name: str) -> str:
    name = DEFINITE.sub("", " ".join(name.split()))
    return POSSESSIVE.sub("", name).strip(" ,.").lower()


class _Names:
    """The article's organisation and person entities, sorted by position, read once."""

    def __init__(self, doc, text: str, sentences=None):
        ents = [e for e in doc.ents if e.label_ in ("ORG", "PERSON")]
        self.orgs = [(e.start_char, e.end_char, e.text) for e in ents if e.label_ == "ORG"]
        self.persons = [(e.start_char, e.end_char, e.text) for e in ents if e.label_ == "PERSON"]
        self._org_starts = [start for start, _, _ in self.orgs]
        self.text = text
        self.sentences = sorted(sentences if sentences is not None else ((s.start_char, s.end_char) for s in doc.sents))
        self._sent_starts = [start for start, _ in self.sentences]

    def add_known_orgs(self, org_names) -> None:
        """Organisations the typer named that the entity model missed ("Pellian Pharma" read as a
        person): every place their name, or its distinctive first word ("Pellian"), appears."""
        known = {(start, end) for start, end, _ in self.orgs}
        # "Trump" of "the Trump transition team" is a person's surname: it stands for him, not the team.
        surnames = {person.split()[-1] for _, _, person in self.persons if person.split()}
        for name in org_names:
            forms = [name]
            first = name.split()[0]
            if len(name.split()) > 1 and len(first) >= 4 and first[0].isupper() and first.lower() not in COMMON_FIRST_WORDS \
                    and first not in surnames:
                forms.append(first)
            for form in forms:
                for match in re.finditer(rf"\b{re.escape(form)}\b", self.text):
                    if (match.start(), match.end()) not in known:
                        known.add((match.start(), match.end()))
                        self.orgs.append((match.start(), match.end(), name))
        self.orgs.sort()
        self._org_starts = [start for start, _, _ in self.orgs]

    def org_before(self, char: int):
        i = bisect_right(self._org_starts, char) - 1
        while i >= 0:
            start, end, name = self.orgs[i]
            if end <= char and char - start <= DESCRIPTOR_WINDOW and not _is_descriptor_only(name):
                return start, end, name
            if char - start > DESCRIPTOR_WINDOW:
                return None
            i -= 1
        return None

    def org_named_by(self, descriptor: str, char: int):
        """The last organisation before `char` whose name holds every word of a descriptor with
        more than its head ("the conservation department" → "Department of Conservation")."""
        words = set(normalise(descriptor).split()) - {"the", "this", "that", "its"}
        if len(words) < 2:
            return None
        for start, end, name in reversed(self.orgs[:bisect_right(self._org_starts, char)]):
            if end <= char and words <= set(normalise(name).split()):
                return start, end, name
        return None

    def orgs_within(self, start: int, end: int):
        return [o for o in self.orgs if start <= o[0] and o[1] <= end]

    def sentence_end(self, char: int) -> int:
        i = bisect_right(self._sent_starts, char) - 1
        return self.sentences[i][1] if i >= 0 else len(self.text)


def _is_descriptor_only(name: str) -> bool:
    """"the company", "the U.S. drugmaker", "the Swiss firm": a descriptor with no name of its own
    (modifiers may be capitalised only as abbreviations or nationalities, which end in -n/-ish/-ese…)."""
    words = normalise(name).split()
    if not words or words[-1] not in voice_rules().descriptors:
        return False
    modifiers = name.split()[1:-1] if DEFINITE.match(name) else name.split()[:-1]
    return all(not w[:1].isupper() or "." in w or w.isupper() or NATIONALITY.search(w) for w in modifiers)


def group_voices(sources: list, attributions: list, doc, text: str, title: str | None = None,
                 sentences=None) -> list[Voice]:
    """Merge the typer's sources into voices and mark their roles; re-point attributions at them."""
    rules = voice_rules()
    names = _Names(doc, text, sentences)
    names.add_known_orgs({POSSESSIVE.sub("", DEFINITE.sub("", s.name)).strip(" ,.") for s in sources
                          if s.source_type in ORG_TYPES and any(c.isupper() for c in s.name)
                          and not _is_descriptor_only(s.name) and len(s.name) <= 60})
    voices: dict[str, Voice] = {}
    order: list[str] = []
    remap: dict[int, str] = {}
    for index, source in enumerate(sources):
        key, name, source_type = _voice_of(source, names, rules)
        key = _earlier_document(key, name, source_type, voices, order) or key
        remap[index] = key
        if key not in voices:
            # A bare pronoun, or a "name" with no letters ("™"), stands for nobody we can show.
            voices[key] = Voice(name, source_type, key=key,
                                resolved=normalise(name) not in PRONOUNS and any(c.isalpha() for c in name))
            if not voices[key].resolved:
                voices[key].name = f"someone unnamed (“{name}”)"
            order.append(key)
        voice = voices[key]
        if source.source_type in ORG_TYPES and voice.source_type not in ORG_TYPES and source_type in ORG_TYPES:
            voice.source_type = source.source_type
        voice.mentions += source.mentions
        voice.attributions += source.attributions
        if normalise(source.name) != normalise(voice.name) and source.name not in voice.aliases:
            voice.aliases.append(source.name)
    _fold_people_typed_as_organisations(voices, order, remap, names)
    _fold_first_names(voices, order, remap, names)
    _fold_shortened_organisations(voices, order, remap)
    ordered = [voices[key] for key in order]
    position = {key: i for i, key in enumerate(order)}
    for attribution in attributions:
        if attribution.entity is not None:
            key = remap[attribution.entity]
            attribution.entity = position[key]
            merged = _merged_type(attribution.source_type, voices[key].source_type)
            if merged != attribution.source_type and attribution.source is not None:
                attribution.source.source_type = merged
                attribution.source.why = RETYPED_WHY[merged].format(name=voices[key].name)
            attribution.source_type = merged
    for voice in ordered:
        voice.attributions.sort()
        voice.mentions.sort(key=lambda m: m.start)
        if voice.source_type == "named_person":
            voice.name = _full_name(voice.name, names, [text[m.start:m.end] for m in voice.mentions])
        candidates = voice.aliases + [text[m.start:m.end] for m in voice.mentions]
        voice.aliases, seen = [], {normalise(voice.name)}
        for alias in candidates:
            alias = _short_alias(alias)
            if alias and alias.lower() not in PRONOUNS and normalise(alias) not in seen and len(voice.aliases) < 8:
                seen.add(normalise(alias))
                voice.aliases.append(alias)
    mark_roles(ordered, names, text, title, rules)
    return ordered


# Titles left out of a person's display name ("Mayor Ana Ruiz" → "Ana Ruiz").
TITLES = {"mr", "mrs", "ms", "dr", "prof", "professor", "mayor", "president", "senator", "sen", "rep", "gov",
          "governor", "judge", "secretary", "minister", "member", "council", "chief", "general", "gen", "sir",
          "lady", "lord", "pope", "king", "queen", "prince", "princess", "chairman", "chairwoman", "ceo",
          "representative", "commissioner", "sheriff", "officer", "detective", "coach", "the", "a", "an",
          "both", "either", "neither"}
STUDY_AUTHORS = "document:study's authors"  # the key of the voice the typer names "the study's authors"
# First words too common to stand for the organisation they begin ("New" of "New Horizons").
COMMON_FIRST_WORDS = {"the", "new", "united", "national", "american", "general", "first", "international", "global",
                      "royal", "state", "federal", "north", "south", "east", "west", "central", "world", "european",
                      "british", "great", "university", "department", "ministry", "office", "house", "senate"}
RETYPED_WHY = {
    "named_person": "Named person: {name}, named elsewhere in the article.",
    "named_organization": "Named organisation: refers to {name}, named earlier in the article.",
    "document": "Study authors: they speak for the study the article reports on, a record the reader could check.",
}
PRONOUNS = {"he", "she", "they", "it", "we", "i", "who", "which", "that", "him", "her", "them", "his", "its", "their"}


def _fold_people_typed_as_organisations(voices: dict, order: list, remap: dict, names: "_Names") -> None:
    """"study author Andrea Cipriani of Oxford" typed as an organisation is the person Andrea Cipriani
    when the article names that person elsewhere: fold it into the person's voice."""
    people = {key.split(":", 1)[1].split()[-1]: key for key in order
              if voices[key].source_type == "named_person" and key.split(":", 1)[1]}
    if not people:
        return
    for key in list(order):
        voice = voices[key]
        if voice.source_type not in ORG_TYPES:
            continue
        for _, _, person in names.persons:
            surname = person.split()[-1].lower().strip(".,")
            target = people.get(surname)
            if target and target != key and person in voice.name and len(person.split()) > 1:
                voices[target].aliases.append(voice.name)
                _fold(key, target, voices, order, remap)
                break


def _fold(key: str, target: str, voices: dict, order: list, remap: dict) -> None:
    """Merge voice `key` into voice `target`: its mentions and attributions, and the sources mapped to it."""
    into, voice = voices[target], voices.pop(key)
    into.mentions += voice.mentions
    into.attributions += voice.attributions
    order.remove(key)
    for index, mapped in remap.items():
        if mapped == key:
            remap[index] = target


def _fold_first_names(voices: dict, order: list, remap: dict, names: "_Names") -> None:
    """'her mother, Fiona, said …' and later 'Fiona Parry issued a plea': a person named by a first
    name alone is the one person whose full name in the article starts with it."""
    text = names.text
    people = [key for key in order if voices[key].source_type == "named_person"]
    full = {key: _full_name(voices[key].name, names, [text[m.start:m.end] for m in voices[key].mentions])
            for key in people}
    for key in people:
        first = full[key].split()
        if not 1 <= len(first) <= 2 or not all(word[:1].isupper() for word in first):
            continue
        # ("Donald Trump" is not the first name of "Donald Trump Jr.": a suffix makes another person.)
        owners = [other for other in people if other != key and other in voices
                  and full[other].split()[:len(first)] == first and len(full[other].split()) > len(first)
                  and not all(word.lower() in SUFFIXES for word in full[other].split()[len(first):])]
        if len(owners) != 1:
            continue  # no one, or two people with that first name: leave it
        _fold(key, owners[0], voices, order, remap)


def _fold_shortened_organisations(voices: dict, order: list, remap: dict) -> None:
    """'New Zealand Department of Conservation', then 'the Department of Conservation': an
    organisation named by the last two or more words of a name the article gave before is that
    one, when only one name ends so ('the Intelligence Committee' after both a 'House Intelligence
    Committee' and a 'Senate Intelligence Committee' stays apart). Leading words are not enough
    ('the United Nations' is not its 'United Nations Security Council')."""
    orgs = [key for key in order if voices[key].source_type in ORG_TYPES and key.startswith("org:")]
    words = {key: key.split(":", 1)[1].split() for key in orgs}
    first = {key: min((m.start for m in voices[key].mentions), default=0) for key in orgs}
    for key in orgs:
        short = words[key]
        if len(short) < 2 or key not in voices:
            continue
        owners = [other for other in orgs if other != key and other in voices and len(words[other]) > len(short)
                  and words[other][-len(short):] == short]
        if len(owners) != 1 or first[owners[0]] > first[key]:
            continue
        voices[owners[0]].aliases.append(voices[key].name)
        _fold(key, owners[0], voices, order, remap)


# One to three capitalised words ending where the text ends (the words before a surname).
CAPITALISED_RUN_AT_END = re.compile(r"(?:[A-Z][\w.'’-]*\s+){1,3}$")


def _is_word_char(char: str) -> bool:
    return char.isalnum() or char == "_"


def _capitalised_run_before(mention: str, surname: str) -> str | None:
    """'Mayor Ana Ruiz' for "Ruiz" in "… said Mayor Ana Ruiz": one to three capitalised words and
    the surname as a whole word, the leftmost such run and then the longest, as a regex search
    would find it (without compiling a regex per name)."""
    best = None  # (start, -end)
    position = mention.find(surname)
    while position != -1:
        end = position + len(surname)
        if _is_word_char(surname[-1]) != (end < len(mention) and _is_word_char(mention[end])):  # regex \b
            run = CAPITALISED_RUN_AT_END.search(mention, 0, position)
            if run and (best is None or (run.start(), -end) < best):
                best = (run.start(), -end)
        position = mention.find(surname, position + 1)
    return mention[best[0]:-best[1]] if best else None


def _full_name(key: str, names: "_Names", mentions=()) -> str:
    """A person's fullest name in the article ("Ana Ruiz" for the voice keyed "Ruiz"), from the
    named entities or, when the model missed the name, from a mention ("Mayor Ana Ruiz said")."""
    surname = key.split()[-1].lower() if key.split() else ""
    best = key
    candidates = []  # the voice's own mentions first: "Mayor Ana Ruiz" before another Ruiz in the article
    for mention in mentions:
        run = _capitalised_run_before(mention, key.split()[-1]) if key.split() else None
        if run:
            # The name starts after the last title word: "Prime Minister Habib Essid" → "Habib Essid".
            words = run.split()
            titles = [n for n, word in enumerate(words) if word.lower().strip(".").removesuffix("-elect") in TITLES]
            found = " ".join(words[titles[-1] + 1:] if titles else words)
            # "Secretary of State John Kerry": the run after "of" is "State John Kerry"; the model's
            # name for the person, where it ends the run, is the name.
            entity = next((person for _, _, person in names.persons
                           if len(person.split()) > 1 and found.endswith(" " + person)), None)
            candidates.append(entity or found)
    candidates += [person for _, _, person in names.persons]
    # A key of first and last name ("Bill Clinton", where a Hillary Clinton is named too) grows only
    # into a name with the same first word.
    first = key.split()[0] if len(key.split()) > 1 else None
    for person in candidates:
        words = person.split()
        if first and words[0] != first:
            continue
        if words and words[-1].lower().strip(".,") == surname and len(words) > len(best.split()) and len(words) <= 4:
            best = person
    return best


def _short_alias(alias: str) -> str:
    """An alias without its relative clause, at most 60 characters, cut at a word."""
    alias = " ".join(alias.split())
    alias = re.split(r",?\s+(?:who|which|that)\b|\s(?:in|on|at|after|during|before)\s(?:a|an|the)\b", alias,
                     maxsplit=1)[0].rstrip(" ,")
    if len(alias) > 60:
        alias = alias[:60].rsplit(" ", 1)[0] + "…"
    return alias


def _merged_type(mention_type: str | None, voice_type: str) -> str | None:
    """A descriptor resolved to a named organisation ("the drugmaker") takes the organisation's type;
    "the researchers" of the study reported on take the study's."""
    if mention_type in ("vague", "named_organization") and voice_type in ("named_organization", "document"):
        return voice_type
    if mention_type == "named_organization" and voice_type == "named_person":  # folded, see above
        return voice_type
    return mention_type


# "the only finding that", "some lawmakers who": the source span keeps the relative word the
# cue hangs on; the voice's name does not.
TRAILING_RELATIVE = re.compile(r"[\s,]+(?:who|that|which|whom)$", re.I)
# "the report", "this study": a document named only by its kind refers back to the last one of that kind.
DOCUMENT_BACK_REFERENCE = re.compile(r"^(?:the|this|that)\s+(\w+)$", re.I)


def _voice_of(source, names: _Names, rules: VoiceRules) -> tuple[str, str, str]:
    """(key, display name, type) of the voice a typer source belongs to."""
    name = TRAILING_RELATIVE.sub("", source.name) or source.name
    default = (f"{_family(source.source_type)}:{normalise(name)}", name, source.source_type)
    if source.source_type in ("self", "document", "named_outlet"):
        return default
    mention = source.mentions[0] if source.mentions else None
    if mention is None:
        return default
    mention_text = names.text[mention.start:mention.end]
    # "a Merck spokeswoman", "Merck's chief executive", "spokesman for Pfizer".
    if rules.speaks_for.search(mention_text):
        inside = names.orgs_within(mention.start, mention.end)
        if inside:
            return _org_key(inside[0][2])
        if _mentions_descriptor(mention_text, rules):  # "a company spokeswoman"
            org = names.org_before(mention.start)
            if org:
                return _org_key(org[2])
    # "the company", "the U.S. drugmaker": the organisation named shortly before — or, for a
    # descriptor that says which ("the conservation department"), the one whose name holds its words.
    if DEFINITE.match(mention_text) and _is_descriptor_only(mention_text) and not names.orgs_within(mention.start, mention.end):
        org = names.org_named_by(mention_text, mention.start) or names.org_before(mention.start)
        if org and _fits_descriptor(mention_text, org[2], rules):
            return _org_key(org[2])
    # "Jane Doe, a spokeswoman for Merck" / "Merck CEO Ken Frazier": a person speaking for an organisation.
    if source.source_type in ("named_person", "official"):
        org = _affiliation(source, names, rules)
        if org:
            return _org_key(org)
    return default


def _earlier_document(key: str, name: str, source_type: str, voices: dict, order: list) -> str | None:
    """'The report' after 'A new report released on Monday by Stanford University's Center…':
    the key of the last document voice whose name has the same kind of document in it."""
    kind = DOCUMENT_BACK_REFERENCE.match(" ".join(name.split())) if source_type == "document" else None
    if kind is None or key in voices:
        return None
    word = re.compile(rf"\b{re.escape(kind.group(1))}\b", re.I)
    for earlier in reversed(order):
        voice = voices[earlier]
        if voice.source_type == "document" and earlier != key and word.search(voice.name) and len(voice.name) > len(name):
            return earlier
    return None


def _family(source_type: str | None) -> str:
    return "org" if source_type in ORG_TYPES else (source_type or "unknown")


def _fits_descriptor(descriptor: str, name: str, rules: VoiceRules) -> bool:
    """Could "the agency" be this organisation? Not when its name says it is another kind of body
    ("International Space Station", "Department of Conservation" for "the company"); a name that
    says nothing of its kind ("Roscosmos", "Pellian Pharma") and "the group" fit anything."""
    families = rules.kind_families
    head = normalise(descriptor).split()[-1]
    words = normalise(name).split()
    if head in words or families.get(head) in (None, "group"):
        return True
    kinds = {families[w] for w in words if w in families} - {"group"}
    return not kinds or families[head] in kinds


def _org_key(name: str) -> tuple[str, str, str]:
    display = DEFINITE.sub("", " ".join(name.split()))
    display = POSSESSIVE.sub("", display).strip(" ,.")
    return f"org:{normalise(display)}", display, "named_organization"


def _mentions_descriptor(mention_text: str, rules: VoiceRules) -> bool:
    """"a company spokeswoman": a descriptor written in lower case ("Foreign Relations Committee
    Chairman Bob Corker" names its committee, however the entity model missed it)."""
    words = re.findall(r"[\w.-]+", mention_text)
    return any(words[i][:1].islower() and " ".join(words[i:i + n]).lower() in rules.descriptors
               for n in (1, 2, 3) for i in range(len(words)))


def _affiliation(source, names: _Names, rules: VoiceRules) -> str | None:
    """The organisation a named person speaks for, from the clause that introduces them."""
    surname = normalise(source.name).split()[-1] if normalise(source.name) else ""
    if len(surname) < 2:
        return None
    for start, end, person in names.persons:
        if person.split()[-1].lower().strip(".,") != surname:
            continue
        after = names.text[end:min(end + INTRO_WINDOW, names.sentence_end(end))]
        role = rules.role_after_name.match(after)
        if role:
            org = [o for o in names.orgs if end + role.end() <= o[0] <= end + role.end() + 4]
            if org:
                return org[0][2]
        before = names.text[max(0, start - 60):start]
        lead = rules.role_before_name.search(before)
        if lead:
            role_start = start - len(before) + lead.start()
            org = [o for o in names.orgs if role_start - 4 <= o[1] <= role_start]
            if org:
                return org[-1][2]
        break  # the introducing clause comes with the first full mention
    return None


from .voice_roles import mark_roles  # noqa: E402  (it reads the names and rules defined above)
