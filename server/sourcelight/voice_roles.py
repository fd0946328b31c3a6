"""Roles of voices: the story's **subject** (an interested party) or **independent**, from the text.

Subject: named in the headline; the authors, maker or sponsor of what the story reports on ("lead
author", "which makes", "paid for the study"); a person promoting their own work; an organisation
that leads the story and is referred to again and again, or whose drug or study the story is about
("Merck's drug"). Independent: the article says so ("who was not involved in the study", "an
outside expert"), also in the sentence after the quote; a regulator commenting on a subject
organisation. Independence wins over subject. Patterns: rules/voices.jsonl.
"""
from __future__ import annotations

import re

from .voices import INTRO_WINDOW, ORG_TYPES, STUDY_AUTHORS, Voice, VoiceRules, _Names, normalise


def mark_roles(voices: list[Voice], names: _Names, text: str, title: str | None, rules: VoiceRules) -> None:
    """Mark each voice subject, independent or neither, with the words that made it so."""
    lede_end = names.sentences[min(2, len(names.sentences)) - 1][1] if names.sentences else 0
    for voice in voices:
        if voice.key == STUDY_AUTHORS:
            voice.role, voice.role_why = "subject", "Interested party: the authors of the study the story reports on."
            continue
        if voice.source_type in ("self", "document"):
            continue
        windows = list(_intro_windows(voice, names, text))
        found = _first_match(rules.independent, windows)
        if found:  # an unnamed "researcher not involved in the work" is independent too
            voice.role, voice.role_why = "independent", f"Independent: {found[0]} (“{found[1]}”)."
            continue
        if voice.source_type in ("vague", "anonymous"):
            continue
        found = _first_match(rules.subject, windows)
        if found:
            voice.role, voice.role_why = "subject", f"Interested party: {found[0]} (“{found[1]}”)."
            continue
        name = _short_name(voice)
        if len(name) < 3:
            continue
        word = re.compile(rf"\b{re.escape(name)}\b", re.I)
        if title and word.search(title):
            voice.role, voice.role_why = "subject", f"Subject of the story: {voice.name} is named in the headline."
            continue
        if voice.source_type in ORG_TYPES:
            possessed = _possessed_thing(word, text, rules.possession_words)
            if possessed:
                voice.role, voice.role_why = "subject", (
                    f"Interested party: the story is about {voice.name}’s own "
                    f"{possessed.group(0).split()[-1]} (“{' '.join(possessed.group(0).split())}”).")
                continue
            # Named or referred to ("the company", its spokeswoman) again and again from the lede on.
            references = max(len(word.findall(text)), len(voice.attributions))
            first = min([m.start for m in voice.mentions] + [m.start() for m in word.finditer(text)], default=None)
            if references >= 3 and first is not None and first < lede_end:
                voice.role, voice.role_why = "subject", (
                    f"Subject of the story: {voice.name} leads the story and is referred to {references} times.")
    subjects = [v for v in voices if v.role == "subject" and v.source_type in ORG_TYPES]
    for voice in voices:
        # A regulator's name is a name: "WHO" or "the FDA", never the pronoun "who".
        is_named = voice.source_type in ORG_TYPES and any(c.isupper() for c in voice.name)
        if voice.role is None and is_named and normalise(voice.name) in rules.regulators and any(s is not voice for s in subjects):
            voice.role, voice.role_why = "independent", (
                f"Independent: {voice.name} regulates or oversees {subjects[0].name}, the subject of the story.")


def _possessed_thing(name: re.Pattern, text: str, things: frozenset):
    """"Merck's drug", "Pellian Pharma experimental pill": the name followed, within a word, by a
    product or study noun. Returns a match-like (group(0)) or None."""
    for match in name.finditer(text):
        following = re.match(r"(?:['’]s?)?\s+((?:[\w-]+\s+)?([\w-]+))", text[match.end():match.end() + 60])
        if following:
            words = following.group(1).lower().split()
            if words[-1] in things or words[0] in things:
                end = match.end() + following.end() if words[-1] in things else \
                    match.end() + following.start(1) + len(following.group(1).split()[0])
                return _Found(text[match.start():end])
    return None


class _Found:
    def __init__(self, text: str):
        self.text = text

    def group(self, _=0) -> str:
        return self.text


def _short_name(voice: Voice) -> str:
    name = normalise(voice.name)
    if voice.source_type == "named_person":
        return name.split()[-1] if name else ""
    return name


def _opens_with(text: str, words: tuple[str, ...]) -> bool:
    """Whether the text, after leading space, opens with one of the (lower-case) words as a whole word."""
    start = text.lstrip().lower()
    return any(start.startswith(word) and not (len(start) > len(word) and (start[len(word)].isalnum() or start[len(word)] == "_"))
               for word in words)


def _intro_windows(voice: Voice, names: _Names, text: str):
    """Where a voice's role is stated: the rest of the sentence after each mention (and after each
    full mention of a person's name), and the next sentence when it goes on about the same voice
    ("… said Dr. Ng. She was not involved in the study.")."""
    surname = _short_name(voice) if voice.source_type == "named_person" else ""
    # Per-voice regexes cost a compile per name (most names are new): plain prefix tests instead.
    openers = ("he", "she", "they") + ((surname.lower(),) if surname else ())
    for mention in voice.mentions:
        end = names.sentence_end(mention.start)
        yield text[mention.start:min(mention.end + INTRO_WINDOW, end)]
        following = text[end:names.sentence_end(end) if end < len(text) else end]
        if _opens_with(following, openers):
            yield following[:INTRO_WINDOW]
    if voice.source_type == "named_person":
        shown = 0
        for start, end, person in names.persons:
            if person.split()[-1].lower().strip(".,") == surname:
                yield text[start:min(end + INTRO_WINDOW, names.sentence_end(start))]
                shown += 1
                if shown == 5:
                    break
    elif voice.source_type in ORG_TYPES:
        name, shown = normalise(voice.name), 0
        for start, end, org in names.orgs:
            if normalise(org) == name or (len(name) > 3 and normalise(org).startswith(name.split()[0] + " ")
                                          or name.startswith(normalise(org) + " ")):
                yield text[start:min(end + INTRO_WINDOW, names.sentence_end(start))]
                shown += 1
                if shown == 3:
                    break


def _first_match(family, windows):
    """(why, matched words) for the first window any pattern of the family matches."""
    combined, patterns = family
    for window in windows:
        found = combined.search(window)
        if found is None:
            continue
        for pattern, why in patterns:
            match = pattern.search(window, found.start())
            if match and match.start() == found.start():
                return why, " ".join(match.group(0).split())
    return None
