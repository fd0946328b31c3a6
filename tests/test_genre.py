"""Article genre: page declarations first (rules/genre_page.jsonl), then a small model over the text.

Every text here is made up for the test.
"""
from __future__ import annotations

import json
from importlib import resources

import pytest
import srsly

from sourcelight.genre import FEATURE_NAMES, FEATURES, LABELS, load_model

OPED = ("I have lived in this town for thirty years, and I am tired of watching our council waste our money. "
        "We should stop pretending that the new parking garage is a good idea. It is a terrible, wasteful plan, and "
        "frankly it is an insult to every taxpayer. Why must we pay for a building nobody wants? You deserve better. "
        "We must demand that the council drop this absurd scheme and spend the money on our schools instead. "
        "I believe that if we speak up now, we can still stop it. Surely that is worth an evening of your time.")
REPORT = ("BRIGHTON, England \u2014 The city council voted on Tuesday to approve a new parking garage near the railway "
          "station, officials said. The 450-space building will cost 12 million pounds and is expected to open in 2027, "
          "according to a council statement. \u201cThis will ease congestion in the town centre,\u201d said council "
          "leader Maria Jones. Opposition councillor Peter Hall said the vote had been rushed. The plan was approved "
          "by 31 votes to 17. Construction is due to begin in March, the council said. Residents will be able to "
          "comment on the design until January 15, a spokesman told reporters.")


def genre_of(analyzer, text=REPORT, **kwargs) -> dict:
    return analyzer.analyze_text(text, **kwargs).summary["genre"]


def assert_shape(genre: dict):
    assert set(genre) == {"label", "confidence", "from", "signals"}
    assert genre["label"] in LABELS
    assert isinstance(genre["confidence"], float) and 0.0 <= genre["confidence"] <= 1.0
    assert genre["confidence"] == round(genre["confidence"], 2)
    assert genre["from"] in ("page", "text")
    assert genre["signals"] and all(isinstance(s, str) and s.endswith(".") and s[0].isupper()
                                    for s in genre["signals"])


# --- the rule file ---------------------------------------------------------------------------------
def test_every_page_rule_has_an_id_a_label_and_a_signal():
    rows = list(srsly.read_jsonl(resources.files("sourcelight") / "rules" / "genre_page.jsonl"))
    assert rows
    assert len({r["id"] for r in rows}) == len(rows)
    kinds = {"type", "label", "section", "url_path", "site", "title", "text_start"}
    for rule in rows:
        assert rule["id"] and rule["label"] in LABELS, rule
        assert rule["match"] in kinds, rule
        assert 0 < rule["confidence"] <= 1, rule
        assert rule["signal"].endswith("."), rule
        assert ("terms" in rule) or ("pattern" in rule) or ("domains" in rule), rule


def test_model_file_matches_the_features():
    model = load_model()
    assert tuple(model["features"]) == FEATURE_NAMES == tuple(FEATURES)
    assert set(model["classes"]) <= set(LABELS)
    assert len(model["coef"]) == len(model["classes"]) and all(len(r) == len(FEATURE_NAMES) for r in model["coef"])
    assert model["provenance"]["cv_5fold_nested"]["accuracy"] > 0.5
    assert len(model["knots"]) == len(model["levels"]) == len(FEATURE_NAMES)
    assert all(list(k) == sorted(set(k)) and len(k) == len(v) for k, v in zip(model["knots"], model["levels"]))
    assert model["offsets"]["opinion"] <= 0.5  # opinion is not favoured beyond its fitted probability
    # Chosen under an out-of-domain limit: few health news stories (all reports) called satire or opinion.
    fakehealth = model["provenance"]["fakehealth_false_positive_rates"]
    assert fakehealth["even"]["false_satire"] <= 0.02 and fakehealth["even"]["false_opinion"] <= 0.03
    assert fakehealth["odd"]["n"] > 300
    text = (resources.files("sourcelight") / "rules" / "genre_model.json").read_text(encoding="utf-8")
    assert len(text) < 20_000  # small: numbers, no data


# --- page metadata -----------------------------------------------------------------------------------
@pytest.mark.parametrize("page, url, label", [
    ({"types": ["OpinionNewsArticle"]}, None, "opinion"),
    ({"types": ["http://schema.org/AnalysisNewsArticle"]}, None, "analysis"),
    ({"types": ["SatiricalArticle"]}, None, "satire"),
    ({"types": ["ReviewNewsArticle"]}, None, "opinion"),
    ({"types": ["NewsArticle", "ReportageNewsArticle"]}, None, "report"),
    ({"section": "Opinion"}, None, "opinion"),
    ({"section": "Commentary | Politics"}, None, "opinion"),
    ({"labels": ["Analysis"]}, None, "analysis"),
    ({"labels": ["Editorial"]}, None, "opinion"),
    ({"labels": ["Letters"]}, None, "opinion"),
    ({"labels": ["Satire"]}, None, "satire"),
    ({"labels": ["Column"]}, None, "opinion"),
    (None, "https://news.example.com/opinion/2024/05/01/council-garage", "opinion"),
    (None, "https://news.example.com/commentary/council-garage.html", "opinion"),
    (None, "https://example.org/editorials/council-garage", "opinion"),
    (None, "https://example.org/news/analysis/council-garage", "analysis"),
    (None, "https://www.theonion.com/council-approves-garage-1850000000", "satire"),
    (None, "https://babylonbee.com/news/council-approves-garage", "satire"),
    (None, "https://www.thedailymash.co.uk/news/council-garage", "satire"),
    ({"site_name": "The Beaverton"}, None, "satire"),
])
def test_page_declaration_wins_over_the_text(analyzer, page, url, label):
    genre = genre_of(analyzer, REPORT, page=page, url=url)
    assert_shape(genre)
    assert genre["label"] == label, genre
    assert genre["from"] == "page"
    assert genre["confidence"] >= 0.6


def test_declared_opinion_beats_a_report_like_text(analyzer):
    genre = genre_of(analyzer, REPORT, page={"types": ["OpinionNewsArticle"], "section": "Opinion"})
    assert genre["label"] == "opinion" and genre["confidence"] >= 0.9
    assert any("opinion" in s for s in genre["signals"])


@pytest.mark.parametrize("page", [{"types": ["NewsArticle"]}, {"types": ["Article", "article"]},
                                  {"lang": "en", "site_name": "Example News"}, {}])
def test_plain_news_article_says_nothing(analyzer, page):
    declared = genre_of(analyzer, REPORT, page=page, url="https://news.example.com/2024/05/01/council-garage")
    plain = genre_of(analyzer, REPORT)
    assert declared == plain
    assert declared["from"] == "text"


@pytest.mark.parametrize("url", ["https://www.npr.org/blogs/health/2015/05/11/404693609/council-garage",
                                 "https://www.nytimes.com/2017/03/16/well/live/council-garage.html"])
def test_blog_and_lifestyle_directories_say_nothing(analyzer, url):
    """News desks publish under /blogs/ (NPR's Shots, the Post's Checkup) and /well/live/ is a section, not a
    live blog: neither decides the genre."""
    assert genre_of(analyzer, REPORT, url=url)["from"] == "text"


def test_slug_is_not_a_section(analyzer):
    """The last path segment is the article's own slug: /news/opinion is an article called "opinion"."""
    genre = genre_of(analyzer, REPORT, url="https://news.example.com/news/opinion")
    assert genre["from"] == "text"


def test_headline_prefix_and_dateline_credit(analyzer):
    assert genre_of(analyzer, REPORT, title="Opinion: The garage is a mistake")["label"] == "opinion"
    assert genre_of(analyzer, REPORT, title="Analysis: What the garage vote means")["label"] == "analysis"
    credited = "SPRINGFIELD (The Daily Mash) \u2014 " + REPORT.split("\u2014 ", 1)[1]
    genre = genre_of(analyzer, credited)
    assert genre["label"] == "satire" and genre["from"] == "text"
    assert "The Daily Mash" in genre["signals"][0]


# --- from the text -----------------------------------------------------------------------------------
def test_first_person_argument_is_opinion(analyzer):
    genre = genre_of(analyzer, OPED, title="Stop the garage")
    assert_shape(genre)
    assert genre["label"] == "opinion" and genre["from"] == "text", genre
    assert genre["confidence"] >= 0.7
    assert all(s.endswith("(text).") for s in genre["signals"])
    assert any("first person" in s or "should" in s for s in genre["signals"])


def test_wire_style_report_is_report(analyzer):
    genre = genre_of(analyzer, REPORT, title="Council approves station parking garage")
    assert_shape(genre)
    assert genre["label"] == "report" and genre["from"] == "text", genre
    without_dateline = genre_of(analyzer, REPORT.split("\u2014 ", 1)[1])
    assert without_dateline["label"] == "report", without_dateline


def test_no_features_of_how_the_text_opens_or_headline_style():
    """Datelines, headline length and capitals recorded how the training sites were scraped, not the genre."""
    assert not {"dateline", "title_caps", "title_words"} & set(FEATURE_NAMES)


def test_wire_credit_opening_is_not_satire(analyzer):
    """A wire credit such as "(Reuters Health) -" is a dateline, not a joke; only satire outlets credited in the
    dateline decide (test_headline_prefix_and_dateline_credit)."""
    body = REPORT.split("\u2014 ", 1)[1]
    for opening in ("(Reuters Health) - ", "TUESDAY, March 27, 2012 (HealthDay News) -- ", "LONDON (Reuters) - "):
        genre = genre_of(analyzer, opening + body, title="Council approves station parking garage")
        assert genre["label"] == "report", (opening, genre)


def test_fragment_is_other(analyzer):
    genre = genre_of(analyzer, "Officials said the road would reopen on Monday.")
    assert_shape(genre)
    assert genre["label"] == "other"


def test_output_is_json_and_in_the_api_summary(analyse):
    body = analyse(OPED)
    genre = body["summary"]["genre"]
    assert_shape(genre)
    json.dumps(genre)


# --- over HTTP ---------------------------------------------------------------------------------------
def test_api_accepts_page_and_returns_genre(client):
    response = client.post("/api/v1/analyze", content_type="application/json", data=json.dumps({
        "text": REPORT, "url": "https://news.example.com/opinion/council-garage", "title": "Council garage",
        "page": {"lang": "en", "types": ["OpinionNewsArticle"], "section": "Opinion", "labels": ["Opinion"],
                 "site_name": "Example News"}}),
        headers={"Origin": "chrome-extension://abcdefghijklmnopabcdefghijklmnop"})
    assert response.status_code == 200, response.get_data(as_text=True)
    genre = response.get_json()["summary"]["genre"]
    assert genre["label"] == "opinion" and genre["from"] == "page"
    # Without `page` the same text is read as a report; the page is part of the cache key.
    plain = client.post("/api/v1/analyze", content_type="application/json", data=json.dumps({"text": REPORT}))
    assert plain.get_json()["summary"]["genre"]["label"] == "report"


def test_opinion_needs_its_margin():
    """pick() adds the fitted offsets to the log-probabilities before choosing."""
    from sourcelight.genre import pick
    model = {"offsets": {"opinion": -0.7}, "min_probability": {"satire": 0.7}}
    assert pick({"report": 0.4, "opinion": 0.55, "satire": 0.05}, model)[0] == "report"
    assert pick({"report": 0.2, "opinion": 0.75, "satire": 0.05}, model)[0] == "opinion"
    assert pick({"report": 0.3, "opinion": 0.05, "satire": 0.65}, model)[0] == "report"  # satire below its floor

