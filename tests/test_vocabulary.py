"""Acronyms learned from the records at build time: reading definitions, the generation file, query analysis."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest

from indexer.encode.embed import Embedder
from indexer.index.build import build_index
from indexer.index.generations import resolve, verify
from indexer.index.vocabulary import VOCABULARY_FILE, LearnedAcronym, Vocabulary, definitions, is_acronym, learn
from indexer.records import Citation, Location, Record
from search_api.query import parse_query, with_learned
from search_api.retrieval import Searcher

MINUTES = """NORTHSHIRE POLICE AND CRIME PANEL

REPORT OF THE POLICE AND CRIME COMMISSIONER FOR NORTHSHIRE

DATE: 6th March 2023

MEMBER QUESTIONS TO THE COMMISSIONER

Question 1: from Cllr P Okafor

What is being done about the Rural Speed Enforcement Partnership (RSEP) on the moorland roads?

Response

The Rural Speed Enforcement Partnership (RSEP) placed four camera vans on moorland roads from April 2023. RSEP
sites are published each month. Wind Turbine Maintenance crews reported fewer near misses.

Question 2: from Cllr M Brennan

How is the Night Time Economy (NTE) being policed in the town centre?

Response

Twelve officers patrol the NTE in the town centre every Friday and Saturday night.
"""


def make_record(rid: str, text: str, document: str, kind: str = "report_section", title: str | None = None) -> Record:
    citation = Citation("Body", "2023-03-06", None, None, None, None, None, document, Location((1, 1)), "label")
    return Record(id=rid, kind=kind, text=text, citation=citation, title=title)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("the Police and Crime Commissioner (PCC) said", ("PCC", "police and crime commissioner")),
        ("Anti-Social Behaviour (ASB) incidents fell", ("ASB", "anti-social behaviour")),
        ("the Office of the PCC (OPCC) replied", ("OPCC", "office of the pcc")),
        ("reports of ASB (anti-social behaviour) rose", ("ASB", "anti-social behaviour")),
        ("Early Morning Restriction Orders (EMROs) were", ("EMROs", "early morning restriction orders")),
        ("Cumulative Impact Zones (CIZ’s) remain", ("CIZ’s", "cumulative impact zones")),
        ("Strategic Threat & Risk Assessment (STRA) process", ("STRA", "strategic threat and risk assessment")),
        ("the Chief Constable (CC) agreed", ("CC", "chief constable")),
        (
            "Derbyshire Health Care Foundation Trust (DHcFT) in custody",
            ("DHcFT", "derbyshire health care foundation trust"),
        ),
    ],
)
def test_definitions_in_their_written_forms(text: str, expected: tuple[str, str]) -> None:
    assert definitions(text) == [expected]


@pytest.mark.parametrize(
    "text",
    [
        "Police Dog Welfare Update (OPCC)",  # a column of owners, not a definition
        "Health and Safety (Amendment) Regulations",  # an ordinary capitalised word in brackets
        "Training in Polish Mums Club (DERBY)",  # capitals that are not the initials
        "Part Four Section (IV) of the Act",  # a roman numeral
        "as set out in Schedule Two (XII)",
        "see items (ii) and (iii)",
        "Force Management Statement (Force)",
        "the report (PDF)",  # one word before: no expansion of two words or more
    ],
)
def test_no_false_acronyms(text: str) -> None:
    assert definitions(text) == []


def test_is_acronym() -> None:
    assert is_acronym("NTE") and is_acronym("EMROs") and is_acronym("DHcFT") and is_acronym("CIZ’s")
    assert not is_acronym("Force") and not is_acronym("IV") and not is_acronym("XII") and not is_acronym("A")


def test_learn_keeps_the_first_defining_record_and_every_expansion() -> None:
    records = [
        make_record("r1", "The Night Time Economy (NTE) is safer.", document="corpus/a.txt"),
        make_record("r2", "Patrols in the night-time economy (NTE) doubled.", document="corpus/b.txt"),
        make_record("r3", "The NTE again, with no definition.", document="corpus/b.txt"),
    ]
    learned = {a.acronym: a for a in learn(records)}
    assert set(learned) == {"NTE"}
    nte = learned["NTE"]
    assert (nte.record_id, nte.document, nte.definitions) == ("r1", "corpus/a.txt", 2)
    assert set(nte.expansions) == {"night time economy", "night-time economy"}


def test_learned_layer_sits_under_the_glossary() -> None:
    vocabulary = Vocabulary(
        [
            LearnedAcronym("NTE", ("night time economy",), "r1", "corpus/a.txt", 1),
            # The glossary names ASB already: its forms are the glossary's, not the records'.
            LearnedAcronym("ASB", ("anti social behavior",), "r2", "corpus/a.txt", 1),
            LearnedAcronym("CAP", ("community alcohol partnership",), "r3", "corpus/a.txt", 1),
        ]
    )
    assert [a.acronym for a in vocabulary.learned] == ["NTE", "CAP"]
    parsed = with_learned(parse_query("patrols in the NTE"), vocabulary)
    learned = [e for e in parsed.expanded if e.source]
    assert [(e.typed, e.forms) for e in learned] == [("nte", ("ntes", "night time economy"))]
    assert "r1" in learned[0].source and "corpus/a.txt" in learned[0].source
    assert "nte (night time economy)" in parsed.dense_text
    # Spelled out, it finds the acronym too.
    spelled = with_learned(parse_query("night time economy patrols"), vocabulary)
    assert [e.forms for e in spelled.expanded if e.source] == [("nte", "ntes")]
    # An acronym that is an English word counts only when typed as one.
    assert not [e for e in with_learned(parse_query("a cap on spending"), vocabulary).expanded if e.source]
    assert [e.typed for e in with_learned(parse_query("the CAP in Bolsover"), vocabulary).expanded if e.source] == [
        "cap"
    ]
    # Applied twice, the query is expanded once.
    assert with_learned(parsed, vocabulary) == parsed


def test_query_analysis_with_the_learned_layer_costs_under_a_millisecond() -> None:
    vocabulary = Vocabulary(
        [LearnedAcronym(f"Q{n:03d}X", (f"quality {n} xylophone",), "r", "d", 1) for n in range(500)]
        + [LearnedAcronym("NTE", ("night time economy",), "r1", "corpus/a.txt", 1)]
    )
    queries = ["patrols in the NTE on friday", "how is the night time economy policed", "budget consultation"] * 100
    times = []
    for q in queries:
        started = time.perf_counter()
        with_learned(parse_query(q), vocabulary)
        times.append(time.perf_counter() - started)
    times.sort()
    assert times[len(times) // 2] < 0.001


def test_the_generation_keeps_its_vocabulary_and_the_searcher_uses_it(tmp_path: Path, embedder: Embedder) -> None:
    (tmp_path / "corpus").mkdir()
    (tmp_path / "corpus" / "northshire_2023-03-06.txt").write_text(MINUTES, encoding="utf-8")
    build_index([tmp_path / "corpus"], tmp_path / "index", embedder, root=tmp_path)
    generation = resolve(tmp_path / "index")
    manifest = verify(generation)  # the file is checksummed with the others
    assert VOCABULARY_FILE in manifest.checksums
    saved = json.loads((generation / VOCABULARY_FILE).read_text(encoding="utf-8"))
    by_acronym = {a["acronym"]: a for a in saved["acronyms"]}
    assert set(by_acronym) == {"RSEP", "NTE"}  # not "Wind Turbine Maintenance", nor the panel's name
    assert by_acronym["RSEP"]["expansions"] == ["rural speed enforcement partnership"]
    assert by_acronym["RSEP"]["document"] == "corpus/northshire_2023-03-06.txt"
    # Round trip: what was written is what the searcher loads.
    searcher = Searcher(tmp_path / "index", embedder)
    loaded = {a.acronym: a for a in searcher.generation.vocabulary.learned}
    assert loaded["RSEP"].record_id == by_acronym["RSEP"]["record_id"]
    assert searcher.generation.store.records([0])  # the store is readable beside it
    record_ids = {r.id for r in searcher.generation.all_records()}
    assert loaded["RSEP"].record_id in record_ids
    # The analysis shows where the acronym was learned, and the search finds the records using it.
    parsed = searcher.analyse(parse_query("rural speed enforcement partnership sites"))
    learned = [e for e in parsed.expanded if e.source]
    assert learned and learned[0].forms[:1] == ("rsep",) and loaded["RSEP"].record_id in learned[0].source
    hits = searcher.search("rural speed enforcement partnership sites", k=3, mode="lexical")
    assert any("RSEP\nsites are published" in h.record.text or "RSEP sites" in h.record.text for h in hits)
    # A damaged vocabulary file makes the generation fail verification like any other file.
    (generation / VOCABULARY_FILE).write_text('{"acronyms": []}\n', encoding="utf-8")
    with pytest.raises(Exception, match="checksum"):
        verify(generation)
