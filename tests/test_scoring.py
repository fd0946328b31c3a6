"""The score: explained by its reasons, graded, and ordered the way a careful reader would order articles."""
from __future__ import annotations

import pytest
from sourcelight.scoring import REPORTING_ONLY, weights

STRONG = """The city council voted 7-2 on Tuesday to approve the new budget, according to the council's published minutes.
"This budget protects every library branch," said Mayor Ana Ruiz in a statement after the vote.
Council member Tom Becker, who voted against it, said the plan relied on optimistic revenue forecasts.
A report by the state auditor found that the city's reserves had fallen by 12 percent since 2019.
"We cannot keep spending reserves," Becker told reporters outside City Hall.
The auditor's office said it would review the budget again in the spring.
Ruiz said she expected the forecasts to hold, citing figures from the county treasurer.
The treasurer, Lisa Park, confirmed that the figures had been updated in March."""

WEAK = """Critics say the new budget is a disaster waiting to happen for the whole city.
Sources close to the council have revealed that the mayor ignored warnings from staff.
Some observers believe the plan will collapse within a year.
The budget has faced mounting criticism and has drawn widespread outrage from residents.
Insiders familiar with the talks claim the numbers were changed at the last minute.
It is rumored that several members may resign before the spring.
Many experts doubt the revenue forecasts will hold.
The plan has also come under scrutiny from unnamed groups across the region."""


def test_reasons_explain_the_score(analyse):
    base = weights()["base"]
    for text in (STRONG, WEAK, RELEASE_REHASH, CAREFUL_STUDY_STORY):
        summary = analyse(text)["summary"]
        assert summary["score"] == max(0, min(100, base + sum(r["effect"] for r in summary["reasons"])))
        assert all(r["text"].endswith(".") and r["code"] for r in summary["reasons"])
        assert summary["limits"]


def test_named_sourcing_scores_above_anonymous_and_vague(analyse):
    strong, weak = analyse(STRONG)["summary"], analyse(WEAK)["summary"]
    assert strong["score"] > weak["score"] + 25
    assert strong["grade"] in ("strong", "mixed")
    assert weak["grade"] == "weak"
    assert weak["counts"]["anonymous"] >= 2 and weak["counts"]["vague"] >= 3


def test_too_little_text_is_insufficient(analyse):
    summary = analyse("Officials said the road is closed.")["summary"]
    assert summary["grade"] == "insufficient" and summary["score"] is None
    assert summary["reasons"][0]["code"] == "insufficient_text"


def test_readability(analyse):
    readability = analyse(STRONG)["summary"]["readability"]
    assert 0 < readability["flesch_reading_ease"] < 100
    assert readability["grade_level"] > 0
    assert readability["reading_minutes"] >= 1


# --- the reasons fitted on expert ratings and the standards' reasons, each on a made-up text ----------
RELEASE_REHASH = """Corvane Labs said on Tuesday that its new skin cream is a breakthrough for people with eczema.
In a news release, the company said the cream cleared rashes in most patients within two weeks.
"This is a revolutionary product," said Ivo Marsh, chief executive of Corvane Labs.
The company said the cream would go on sale in June at a price it did not disclose.
Corvane said the results were promising and that it expected strong demand.
Marsh said the company planned to launch the cream in Europe next year."""

CAREFUL_STUDY_STORY = """A cream made by Corvane Labs cleared eczema rashes in a small trial, according to a study published on Tuesday.
The trial, funded by Corvane, compared the cream with a placebo in 80 adults for eight weeks.
"Most patients saw their rashes fade," said Dr. Rhea Onu, the study's lead author.
Dr. Samir Patel, a dermatologist at Westfield University who was not involved in the study, said the trial was too small to show rare side effects.
"We need larger, longer trials before anyone calls this a cure," Patel said.
Dr. Hana Lee, a dermatologist at Northgate Hospital, said older creams work for most patients and cost far less.
The researchers cautioned that the study could not prove the cream works for children."""


def reasons(summary) -> dict:
    return {r["code"]: r for r in summary["reasons"]}


def test_a_company_release_rehash_scores_below_a_careful_study_story(analyse):
    rehash, careful = analyse(RELEASE_REHASH)["summary"], analyse(CAREFUL_STUDY_STORY)["summary"]
    assert careful["score"] >= rehash["score"] + 20
    bad = reasons(rehash)
    assert bad["news_release"]["effect"] < 0 and "news release" in bad["news_release"]["text"]
    assert bad["hype"]["effect"] < 0 and "breakthrough" in bad["hype"]["text"]
    assert bad["one_voice"]["effect"] < 0 and "Rests mostly on Corvane" in bad["one_voice"]["text"]
    assert "no independent voice" in bad["one_voice"]["text"]
    good = reasons(careful)
    assert good["independent"]["effect"] > 0 and "Patel" in good["independent"]["text"]
    assert good["conflicts"]["effect"] > 0 and "funded by" in good["conflicts"]["text"]
    assert good["caveats"]["effect"] > 0
    assert good["voices"]["effect"] > bad.get("voices", {"effect": -99})["effect"]


def test_rates_not_counts_the_same_habits_score_the_same_at_any_length(analyse):
    """Three copies of a text have three times the anonymous and vague sources, at the same rates."""
    once, thrice = analyse(WEAK)["summary"], analyse("\n\n".join([WEAK] * 3))["summary"]
    for code in ("anonymous", "vague", "unattributed"):
        assert code in reasons(once), code
        assert abs(reasons(once)[code]["effect"] - reasons(thrice)[code]["effect"]) <= 1, code
    assert abs(once["score"] - thrice["score"]) <= 5


def test_secondhand_quotes_are_named_unless_linked(analyzer):
    from sourcelight.serialize import to_api
    text = ("The governor defended the new road tax on Sunday as lawmakers returned to the capital for a short session. "
            "“Nobody likes a tax, but the roads are falling apart,” she told CNN. State budget figures show repair "
            "costs doubled since 2015, and the transport department has warned that dozens of bridges need work. "
            "Opponents said the tax would hurt rural drivers who have no other way to get to work. "
            "The legislature will vote on the plan in March, and the governor has said she will sign it.")
    unlinked = reasons(to_api(analyzer.analyze_text(text), "codepoints")["summary"])
    assert "secondhand" in unlinked and "CNN" in unlinked["secondhand"]["text"]
    start = text.index("she told CNN")
    linked_summary = to_api(analyzer.analyze_text(text, links=[{"start": start, "end": start + 12,
                                                               "href": "https://edition.cnn.com/interview"}]),
                            "codepoints")["summary"]
    assert "secondhand" not in reasons(linked_summary)


def test_a_sentence_that_links_to_its_source_is_not_unsourced(analyzer):
    from sourcelight.serialize import to_api
    text = ("The river rose by four metres overnight, flooding 300 homes. Emergency crews worked through the night. "
            "Officials in the county said the levee had held. The damage will cost more than $20 million to repair.")
    plain = to_api(analyzer.analyze_text(text), "codepoints")
    flagged = [s for s in plain["spans"] if s["label"] == "unattributed"]
    assert flagged, "the figures should be flagged without a link"
    link = {"start": flagged[0]["start"], "end": flagged[0]["start"] + 10, "href": "https://example.org/flood-report"}
    linked = to_api(analyzer.analyze_text(text, links=[link], url="https://news.example.com/flood"), "codepoints")
    still = [s for s in linked["spans"] if s["label"] == "unattributed" and s["start"] == flagged[0]["start"]]
    assert not still
    assert linked["summary"]["attributed_sentence_share"] > plain["summary"]["attributed_sentence_share"]


def test_a_link_to_the_outlets_own_pages_is_not_a_source(analyzer):
    from sourcelight.serialize import to_api
    text = ("The river rose by four metres overnight, flooding 300 homes. Emergency crews worked through the night. "
            "Officials in the county said the levee had held. The damage will cost more than $20 million to repair.")
    plain = to_api(analyzer.analyze_text(text), "codepoints")
    flagged = [s for s in plain["spans"] if s["label"] == "unattributed"]
    assert flagged
    own = [{"start": flagged[0]["start"], "end": flagged[0]["start"] + 10, "href": "https://news.example.com/topics/floods"}]
    response = to_api(analyzer.analyze_text(text, links=own, url="https://news.example.com/flood"), "codepoints")
    assert any(s["label"] == "unattributed" and s["start"] == flagged[0]["start"] for s in response["spans"])


@pytest.mark.parametrize("genre", ["opinion", "analysis"])
def test_opinion_and_analysis_are_judged_on_their_factual_claims(analyzer, genre):
    from sourcelight.serialize import to_api
    kind = {"opinion": "OpinionNewsArticle", "analysis": "AnalysisNewsArticle"}[genre]
    response = to_api(analyzer.analyze_text(WEAK, page={"types": [kind]}), "codepoints")
    summary = response["summary"]
    assert summary["genre"]["label"] == genre and summary["genre"]["from"] == "page"
    codes = reasons(summary)
    assert f"genre_{genre}" in codes and codes[f"genre_{genre}"]["effect"] == 0
    assert not set(codes) & set(REPORTING_ONLY)
    assert "vague" in codes and "anonymous" in codes  # the claims it rests on are still judged


def test_declared_satire_is_not_graded(analyzer):
    from sourcelight.serialize import to_api
    summary = to_api(analyzer.analyze_text(STRONG, page={"types": ["SatiricalArticle"]}), "codepoints")["summary"]
    assert summary["grade"] == "not_applicable" and summary["score"] is None
    assert summary["reasons"][0]["code"] == "genre_satire"


def test_short_texts_say_how_little_there_is_to_judge(analyse):
    summary = analyse(STRONG)["summary"]
    assert "short_text" in reasons(summary) and reasons(summary)["short_text"]["effect"] == 0


def test_every_weighted_reason_is_a_feature_the_code_computes(analyzer):
    from sourcelight.scoring import score_features
    analysis = analyzer.analyze_text(STRONG)
    features = score_features(analysis.summary, analysis.attributions, analysis.sources)
    spec = weights()
    assert set(spec["reasons"]) <= set(features)
    assert all({"weight", "fitted"} <= set(r) for r in spec["reasons"].values())
    assert all(isinstance(v, float) for v in features.values())


def test_firsthand_reporting_and_missing_quotes(analyzer):
    from sourcelight.serialize import to_api
    base = ("The county will close two of its five libraries next year to save money, officials said on Monday. "
            "The budget office said the closures would save about $2 million a year. Library staff said they had "
            "not been told which branches would close. Parents at one branch said the library was the only quiet "
            "place their children could study after school. The council will vote on the plan in March, and the "
            "county executive has said she expects it to pass with a comfortable majority.")
    firsthand = base + (" The library director, Ruth Obi, said in a telephone interview that she would fight the "
                        "closures.")
    plain = reasons(to_api(analyzer.analyze_text(base), "codepoints")["summary"])
    spoken = reasons(to_api(analyzer.analyze_text(firsthand), "codepoints")["summary"])
    assert "firsthand" not in plain
    assert spoken["firsthand"]["effect"] > 0 and "telephone interview" in spoken["firsthand"]["text"]
    assert plain["no_quotes"]["effect"] < 0


@pytest.mark.parametrize("text,disclosed", [
    # Disclosures of who paid: a reason to trust the reporting.
    ("Dr. Ames has received research grants from the company.", True),
    ("Dr. Ames is a paid consultant to Corvane.", True),
    ("Dr. Ames said she receives no financial support from drug makers.", True),
    # The same words about other things are no disclosure (seen on a saved Guardian page about
    # whales and on campaign stories).
    ("Strandings now draw more attention and money from donations.", False),
    ("Polls show him winning little support from young voters.", False),
    ("Mark Jules, a former adviser to the governor, called the plan reckless.", False),
])
def test_a_conflicts_disclosure_is_about_who_paid(text, disclosed):
    from sourcelight.evidence import find_evidence_cues

    assert bool(find_evidence_cues(text)["conflicts"]) is disclosed


def test_a_weak_grade_names_what_holds_it_back_not_thin_sourcing(analyzer):
    # A saved BuzzFeed page: most sentences credited to named people, weak on one voice and
    # promotional words, yet the headline read "Sourcing is thin: few claims are credited to anyone."
    from sourcelight.scoring import score_article

    analysis = analyzer.analyze_text(STRONG)
    model = weights()
    model["base"] = 0  # the same article, graded weak by the weights alone
    judged = score_article(analysis.summary, analysis.attributions, analysis.sources, analysis.evidence, model=model)
    assert judged["grade"] == "weak"
    assert analysis.summary["attributed_sentence_share"] > 0.5
    assert "few claims are credited" not in judged["headline"], judged
    negatives = [r["text"] for r in judged["reasons"] if r["effect"] < 0]
    assert judged["headline"] in negatives or not negatives, judged
