"""Language (issue #9): texts the English model cannot judge are refused, naming their language.

The texts below are made up for these tests (short local-news paragraphs written for them).
The identifier is the real one (py3langid); the API goes through Flask's test client and the
real model, the CLI through `python -m sourcelight`.
"""
from __future__ import annotations

import json
import subprocess
import sys

import pytest
from py3langid.langid import MODEL_FILE, LanguageIdentifier

from sourcelight import API_MINOR_VERSION, language
from sourcelight.language import declared_code, identify, sample

ANALYZE = "/api/v1/analyze"

PORTUGUESE = (
    "A prefeitura de Porto Claro anunciou nesta segunda-feira um novo plano para reformar as escolas "
    "públicas da cidade. Segundo a secretária de educação, as obras devem começar em março e durar pelo "
    "menos dois anos. Os professores afirmam que a medida é bem-vinda, mas cobram mais transparência sobre "
    "os custos. Moradores dos bairros mais afastados dizem que ainda não foram ouvidos pela administração."
)
SPANISH = (
    "El ayuntamiento de Villarreal del Monte aprobó ayer un presupuesto que duplica la inversión en "
    "transporte público. Según la concejala de movilidad, los nuevos autobuses eléctricos llegarán antes "
    "del verano y cubrirán las rutas de los barrios del norte. La oposición criticó que el plan no incluya "
    "más carriles para bicicletas y pidió un debate abierto con los vecinos antes de la votación final."
)
FRENCH = (
    "Le conseil municipal de Saint-Aubin a voté mardi soir la fermeture de la piscine pendant six mois "
    "pour des travaux de rénovation. D'après le maire, le chantier coûtera près de deux millions d'euros, "
    "financés en partie par la région. Plusieurs associations sportives regrettent de ne pas avoir été "
    "consultées et demandent une solution provisoire pour les enfants du quartier."
)
GERMAN = (
    "Der Stadtrat von Neuheim hat am Mittwoch beschlossen, die alte Brücke über den Fluss bis zum Herbst "
    "zu sanieren. Nach Angaben der Bauverwaltung kostet das Vorhaben rund drei Millionen Euro. Anwohner "
    "befürchten monatelange Umleitungen, während Händler in der Innenstadt weniger Kundschaft erwarten. "
    "Die Opposition fordert einen genaueren Zeitplan und eine öffentliche Versammlung."
)
RUSSIAN = (
    "Городской совет Северогорска во вторник утвердил план ремонта центральной библиотеки. По словам "
    "заместителя мэра, работы начнутся весной и продлятся около года. Жители района говорят, что давно "
    "ждали этого решения, однако некоторые депутаты сомневаются, что бюджет города выдержит такие расходы. "
    "Окончательная смета будет опубликована в следующем месяце."
)
JAPANESE_SHORT = (
    "北山市は月曜日、市内の公立図書館を来年春までに改修すると発表した。市の担当者によると、工事費はおよそ五億円で、"
    "その一部は国の補助金でまかなわれる。"
)
JAPANESE = JAPANESE_SHORT + (
    "利用者からは工事期間中の代わりの施設を求める声が上がっている。市議会の一部の議員は、費用の説明が不十分だと"
    "指摘しており、来月の議会で詳しい計画を示すよう求めた。図書館の近くに住む女性は「子どもたちが毎週通っている"
    "ので、早く新しい建物を見たい」と話した。市は工事の間、駅前の公民館に臨時の窓口を設ける予定だという。"
    "また、市は古い本の一部を地域の学校に寄付することも検討している。"
)
ENGLISH = (
    "The city council of Northbridge voted on Tuesday to close the public pool for six months of repairs. "
    "According to the mayor, the work will cost nearly two million dollars, paid in part by the state. "
    "Several swimming clubs said they had not been consulted and asked for a temporary solution for "
    "children in the neighbourhood. “We found out from the newspaper,” said Dana Price, who coaches a "
    "youth team. A spokesman for the council said the decision could not wait, because inspectors had "
    "found cracks in the main tank last winter. Residents will be able to comment at a public meeting "
    "next month, the council said in a statement."
)
FRENCH_QUOTE = (
    " The visiting mayor of Saint-Aubin, whose town closed its own pool last year, was blunter: "
    "« Nous avons attendu trop longtemps, et les enfants ont payé le prix de notre hésitation », "
    "she told reporters."
)


# --- the identifier: the text's own evidence, the declaration a hint --------------------------------------------
@pytest.mark.parametrize("text, code, name", [
    (PORTUGUESE, "pt", "Portuguese"), (SPANISH, "es", "Spanish"), (FRENCH, "fr", "French"),
    (GERMAN, "de", "German"), (RUSSIAN, "ru", "Russian"), (JAPANESE, "ja", "Japanese"),
])
def test_articles_in_other_languages_are_refused_by_name(text, code, name):
    found = identify(text)
    assert (found.code, found.name, found.supported) == (code, name, False)
    assert found.confidence >= 0.9
    assert found.message() == f"Sourcelight reads English articles only (this page looks {name})."


def test_english_is_judged():
    found = identify(ENGLISH)
    assert found.supported and found.code == "en" and found.name == "English"


def test_portuguese_message_is_the_one_the_panel_shows():
    assert identify(PORTUGUESE, "pt-BR").message() == \
        "Sourcelight reads English articles only (this page looks Portuguese)."


def test_english_article_quoting_french_is_english():
    assert identify(ENGLISH + FRENCH_QUOTE, "en").supported
    assert identify(ENGLISH + FRENCH_QUOTE).supported


def test_spanish_article_quoting_english_is_spanish():
    found = identify(SPANISH + " “We will appeal,” the company said in English. " + SPANISH)
    assert not found.supported and found.code == "es"


@pytest.mark.parametrize("declared", ["en", "en-US", None, ""])
def test_the_text_wins_over_a_wrong_or_missing_declaration(declared):
    found = identify(SPANISH, declared)
    assert not found.supported and found.code == "es" and found.declared == declared


@pytest.mark.parametrize("declared", ["pt-BR", "es", "ja", "de"])
def test_english_text_on_a_page_declaring_another_language_is_judged(declared):
    assert identify(ENGLISH, declared).supported


def test_short_text_is_refused_only_when_the_page_agrees():
    short = "Segundo a secretária, as obras devem começar em março e durar dois anos."
    assert sum(map(str.isalpha, short)) < language.rules()["text_min_letters"]
    assert identify(short).supported           # too little evidence on its own
    assert identify(short, "en").supported     # the page says English and the text cannot say otherwise
    assert identify(short, "es").supported     # the page and the text disagree
    refused = identify(short, "pt-BR")         # the page and the text agree
    assert not refused.supported and refused.code == "pt"


def test_short_japanese_needs_the_declaration():
    assert identify(JAPANESE_SHORT).supported
    refused = identify(JAPANESE_SHORT, "ja")
    assert not refused.supported and refused.name == "Japanese"


@pytest.mark.parametrize("text", ["", "   \n", "!!! ??? ...", "😀" * 500, "“" * 2000, "12 345 678 90",
                                  "e\u0301" * 300, "a" * 1000])
def test_degenerate_text_is_never_refused(text):
    assert identify(text).supported
    assert identify(text, "pt").supported


@pytest.mark.parametrize("declared, code", [
    ("pt-BR", "pt"), ("en_US", "en"), ("EN", "en"), (" fr ", "fr"), ("iw", "he"), ("nb-NO", "no"),
    ("zh-Hant-TW", "zh"), ("zh-Hant", "zh"), ("", None), ("   ", None), (None, None),
])
def test_declared_language_codes(declared, code):
    assert declared_code(declared) == code


def test_long_text_is_read_from_a_bounded_sample_of_every_part():
    limit, windows = language.rules()["sample_chars"], language.rules()["sample_windows"]
    text = ENGLISH * 300 + SPANISH  # ~200,000 characters; the Spanish paragraph at the very end
    part = sample(text)
    assert len(part) <= limit + windows
    assert part.startswith(ENGLISH[:100]) and part.endswith(SPANISH[-50:])
    assert sample(ENGLISH) == ENGLISH
    assert identify(text).supported  # one foreign paragraph in a long English text


def test_every_language_the_identifier_knows_has_a_name():
    known = set(LanguageIdentifier.from_model_file(MODEL_FILE).labels)
    names = language.rules()["names"]
    assert known - set(language.rules()["not_a_language"]) <= set(names), known - set(names)


# --- the API: 422 unsupported_language, before any analysis ---------------------------------------------------
def post(client, body):
    return client.post(ANALYZE, data=json.dumps(body), content_type="application/json")


def test_api_refuses_portuguese_with_422(client, analyzer, monkeypatch):
    def no_analysis(*args, **kwargs):
        raise AssertionError("a refused text must not be analysed")
    monkeypatch.setattr(analyzer, "analyze_text", no_analysis)
    response = post(client, {"text": PORTUGUESE * 3, "page": {"lang": "pt-BR"}})
    assert response.status_code == 422
    error = response.get_json()["error"]
    assert error["code"] == "unsupported_language"
    assert error["message"] == "Sourcelight reads English articles only (this page looks Portuguese)."
    assert error["field"] == "text"
    assert error["language"]["code"] == "pt" and error["language"]["name"] == "Portuguese"
    assert error["language"]["declared"] == "pt-BR" and error["language"]["confidence"] >= 0.9
    assert error["request_id"] == response.headers["X-Request-Id"]
    assert set(response.get_json()) == {"error"}  # no spans, no grade


def test_api_refuses_spanish_declared_english(client):
    response = post(client, {"text": SPANISH * 3, "page": {"lang": "en"}})
    assert response.status_code == 422
    error = response.get_json()["error"]
    assert error["language"] == {"code": "es", "name": "Spanish", "confidence": error["language"]["confidence"],
                                 "declared": "en"}
    assert "this page looks Spanish" in error["message"]


def test_api_grades_english_on_a_page_declaring_portuguese(client, seed_text):
    response = post(client, {"text": seed_text, "page": {"lang": "pt-BR"}})
    assert response.status_code == 200
    body = response.get_json()
    assert body["summary"]["grade"] in {"strong", "mixed", "weak"} and body["spans"]
    assert body["api_minor_version"] == API_MINOR_VERSION == 2


def test_api_short_foreign_text_without_declaration_is_not_refused(client):
    response = post(client, {"text": "Segundo a secretária, as obras começam em março."})
    assert response.status_code == 200
    assert response.get_json()["summary"]["grade"] == "insufficient"


def test_health_says_minor_version_2(client):
    assert client.get("/api/v1/health").get_json()["api_minor_version"] == 2


# --- the CLI: the same message; batch skips the line and goes on ----------------------------------------------
def run(*args, input=None):
    return subprocess.run([sys.executable, "-m", "sourcelight", *args], capture_output=True, text=True,
                          input=input, timeout=300)


def test_cli_analyze_refuses_with_the_same_message(tmp_path):
    article = tmp_path / "artigo.txt"
    article.write_text(PORTUGUESE, encoding="utf-8")
    result = run("analyze", str(article))
    assert result.returncode == 1
    assert result.stderr.strip() == "sourcelight: Sourcelight reads English articles only (this text looks Portuguese)."
    assert result.stdout == ""


def test_cli_analyze_json_prints_the_api_error():
    result = run("analyze", "-", "--json", input=RUSSIAN)
    assert result.returncode == 1
    error = json.loads(result.stdout)["error"]
    assert error["code"] == "unsupported_language" and error["language"]["code"] == "ru"
    assert error["message"] == "Sourcelight reads English articles only (this text looks Russian)."


def test_cli_batch_skips_foreign_lines_with_a_message(tmp_path):
    source = tmp_path / "in.jsonl"
    source.write_text("\n".join(json.dumps(item, ensure_ascii=False) for item in [
        {"id": "en", "text": ENGLISH},
        {"id": "pt", "text": PORTUGUESE},
        {"id": "ja", "text": JAPANESE},
    ]) + "\n", encoding="utf-8")
    out = tmp_path / "out.jsonl"
    result = run("batch", str(source), str(out), "--no-progress")
    assert result.returncode == 0, result.stderr
    lines = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert [line["id"] for line in lines] == ["en"]
    assert "line 2 skipped: Sourcelight reads English articles only (this text looks Portuguese)." in result.stderr
    assert "line 3 skipped: Sourcelight reads English articles only (this text looks Japanese)." in result.stderr
    assert "1 analysed, 2 skipped" in result.stderr
