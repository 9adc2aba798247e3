"""Stage 1, read: files, folders and JSONL lines into articles; every bad input becomes a Problem. No spaCy."""
from __future__ import annotations

import builtins
import json
import pathlib
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kg.model import Article
from kg.read import Problem, make_article, parse_date, read, split_boilerplate

ISO = re.compile(r"\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2})?)?")

HEADED = ("Wednesday 24 July 2019\n"
          "News ID: 1\n"
          "Publish Date: 11 September 2018 - 22:25\n"
          "GENEVA (Dispatches) – Iran said on Tuesday that it opposes the offensive.\n"
          "Russia backed the campaign in Idlib.\n"
          "\n"
          "* Comment:\n")
HEADED_BODY = ("GENEVA (Dispatches) – Iran said on Tuesday that it opposes the offensive.\n"
               "Russia backed the campaign in Idlib.")


def articles(items) -> list[Article]:
    return [i for i in items if isinstance(i, Article)]


def problems(items) -> list[Problem]:
    return [i for i in items if isinstance(i, Problem)]


def body_of(article: Article) -> str:
    start, end = article.body
    return article.text[start:end]


# --- good input -------------------------------------------------------------------------------------------


@pytest.mark.parametrize("newline", ["\n", "\r\n"], ids=["lf", "crlf"])
def test_txt_header_gives_date_and_body_leaves_out_header_and_footer(tmp_path, newline):
    raw = HEADED.replace("\n", newline)
    path = tmp_path / "geneva.txt"
    path.write_bytes(raw.encode("utf-8"))

    [article] = list(read([path]))

    assert article.id == "geneva.txt"
    assert article.source == str(path)
    assert article.published == "2018-09-11T22:25"
    assert article.text == raw  # the original, header and footer included
    assert body_of(article) == HEADED_BODY.replace("\n", newline)  # offsets index the original text
    assert "News ID" not in body_of(article) and "Comment" not in body_of(article)


def test_txt_with_utf8_bom_reads_like_one_without(tmp_path):
    path = tmp_path / "bom.txt"
    path.write_bytes(b"\xef\xbb\xbf" + HEADED.encode("utf-8"))

    [article] = list(read([path]))

    assert not article.text.startswith("\ufeff")
    assert article.published == "2018-09-11T22:25"
    assert body_of(article) == HEADED_BODY


def test_text_without_header_is_all_body():
    text = "Iran said on Tuesday that it opposes the offensive."
    article = make_article("a", text)
    assert article.body == (0, len(text))
    assert article.published is None
    assert article.source == "a"


def test_only_header_lines_are_analysed_rather_than_nothing():
    text = "News ID: 57294\nPublish Date: 11 September 2018 - 22:25\n"
    (start, end), published = split_boilerplate(text)
    assert published == "2018-09-11T22:25"
    assert text[start:end].strip() != ""


def test_given_published_wins_over_header_and_is_normalised():
    article = make_article("a", HEADED, published="September 12, 2018")
    assert article.published == "2018-09-12"
    assert body_of(article) == HEADED_BODY


def test_folder_is_read_recursively_in_sorted_order(tmp_path):
    root = tmp_path / "in"
    # created out of order on purpose
    (root / "sub" / "deeper").mkdir(parents=True)
    (root / "sub" / "deeper" / "d.jsonl").write_text(json.dumps({"id": "d1", "text": "Turkey warned."}) + "\n")
    (root / "b.txt").write_text("Iran said so.")
    (root / "a").mkdir()
    (root / "a" / "c.txt").write_text("Russia said so.")
    (root / "notes.pdf").write_bytes(b"%PDF-1.4")  # not an article type: ignored inside a folder

    items = list(read([root]))

    assert problems(items) == []
    assert [a.id for a in items] == ["c.txt", "b.txt", "d1"]
    assert [a.text for a in items] == ["Russia said so.", "Iran said so.", "Turkey warned."]


def test_several_paths_are_read_in_the_order_given(tmp_path):
    (tmp_path / "x.txt").write_text("Iran said so.")
    (tmp_path / "y.txt").write_text("Russia said so.")
    assert [a.id for a in read([tmp_path / "y.txt", tmp_path / "x.txt"])] == ["y.txt", "x.txt"]


def test_jsonl_fields(tmp_path):
    path = tmp_path / "feed.jsonl"
    lines = [
        {"id": "geneva", "text": HEADED, "title": "Talks in Geneva", "url": "https://example.org/geneva",
         "published": "2018-09-12"},
        {"id": 7, "text": "Russia backed the campaign.", "published": "11 September 2018 - 22:25"},
        {"id": "plain", "text": "Turkey warned.", "title": 5},  # a non-string title is dropped, not an error
    ]
    path.write_text("\n".join(json.dumps(line) for line in lines) + "\n\n", encoding="utf-8")

    items = list(read([path]))

    assert problems(items) == []
    first, second, third = items
    assert (first.id, first.title, first.url, first.published) == ("geneva", "Talks in Geneva",
                                                                    "https://example.org/geneva", "2018-09-12")
    assert first.text == HEADED and body_of(first) == HEADED_BODY
    assert first.source == f"{path}:1"
    assert (second.id, second.published, second.source) == ("7", "2018-09-11T22:25", f"{path}:2")
    assert (third.title, third.url, third.published) == (None, None, None)


# --- bad input: a Problem, never an exception, and the good items around it still come through ------------

GOOD_BEFORE = "Iran said on Tuesday that it opposes the offensive."
GOOD_AFTER = "Russia backed the campaign."


def _jsonl(*lines: str) -> bytes:
    good_a = json.dumps({"id": "good-a", "text": GOOD_BEFORE})
    good_b = json.dumps({"id": "good-b", "text": GOOD_AFTER})
    return "\n".join([good_a, *lines, good_b]).encode("utf-8") + b"\n"


# name -> (file name, bytes, what is wrong (regex), what to do (regex), problem source suffix)
BAD_INPUTS = {
    "empty txt": ("b.txt", b"", r"empty", r"give|remove|add", ""),
    "whitespace-only txt": ("b.txt", b" \n\t\n  \n", r"empty|blank|no text", r"give|remove|add", ""),
    "binary txt": ("b.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00", r"binary", r"\.txt|\.jsonl", ""),
    "latin-1 txt": ("b.txt", "Café in Genève, said Iran.".encode("latin-1"), r"UTF-8",
                    r"convert|iconv|re-?encode|save", ""),
    "jsonl line not JSON": ("b.jsonl", _jsonl('{"id": "x", "text": '), r"not JSON|invalid JSON",
                            r"JSON object|one JSON", ":2"),
    "jsonl line a JSON array": ("b.jsonl", _jsonl('["x", "Iran said so."]'), r"not a JSON object|array",
                                r'"id"|"text"|object', ":2"),
    "jsonl line without id": ("b.jsonl", _jsonl('{"text": "Iran said so."}'), r'"id"|\bid\b',
                              r"give|add|unique", ":2"),
    "jsonl line without text": ("b.jsonl", _jsonl('{"id": "x"}'), r'"text"|\btext\b', r"give|add", ":2"),
    "jsonl line with empty text": ("b.jsonl", _jsonl('{"id": "x", "text": "  "}'), r'"text"|\btext\b|empty',
                                   r"give|add", ":2"),
    "jsonl line latin-1": ("b.jsonl", _jsonl('{"id": "x", "text": "Café"}').replace("é".encode(), b"\xe9"),
                           r"UTF-8", r"re-?encode|convert|iconv", ":2"),
    "unsupported suffix": ("b.pdf", b"%PDF-1.4 Iran said so.", r"unsupported|\.pdf", r"\.txt|\.jsonl", ""),
}


@pytest.mark.parametrize("case", BAD_INPUTS, ids=list(BAD_INPUTS))
def test_bad_input_is_a_problem_and_good_inputs_around_it_are_read(tmp_path, case):
    name, data, wrong, todo, where = BAD_INPUTS[case]
    (tmp_path / "a.txt").write_text(GOOD_BEFORE, encoding="utf-8")
    bad = tmp_path / name
    bad.write_bytes(data)
    (tmp_path / "c.txt").write_text(GOOD_AFTER, encoding="utf-8")

    # the bad file given on its own, and between good files
    items = list(read([tmp_path / "a.txt", bad, tmp_path / "c.txt"]))

    [problem] = problems(items)
    assert problem.source == f"{bad}{where}"
    assert str(problem).startswith(str(bad))
    assert re.search(wrong, problem.message, re.IGNORECASE), problem.message
    assert re.search(todo, problem.message, re.IGNORECASE), f"says nothing about what to do: {problem.message}"
    good = [a.text for a in articles(items)]
    assert GOOD_BEFORE in good and GOOD_AFTER in good
    if name.endswith(".jsonl"):  # the good lines of the same file too
        assert [a.id for a in articles(items) if a.source.startswith(str(bad))] == ["good-a", "good-b"]


def test_duplicate_id_in_one_jsonl_keeps_the_first(tmp_path):
    path = tmp_path / "feed.jsonl"
    path.write_text("\n".join(json.dumps(x) for x in [
        {"id": "dup", "text": "Iran said so."},
        {"id": "other", "text": "Turkey warned."},
        {"id": "dup", "text": "Russia said so."},
    ]) + "\n", encoding="utf-8")

    items = list(read([path]))

    assert [(a.id, a.text) for a in articles(items)] == [("dup", "Iran said so."), ("other", "Turkey warned.")]
    [problem] = problems(items)
    assert problem.source == f"{path}:3"
    assert "dup" in problem.message
    assert re.search(r"twice|duplicate|already", problem.message, re.IGNORECASE)
    assert re.search(r"unique", problem.message, re.IGNORECASE)


def test_file_over_max_bytes_is_skipped_without_being_read(tmp_path, monkeypatch):
    small = tmp_path / "a.txt"
    small.write_text("Iran won.")  # 9 bytes
    big = tmp_path / "big.txt"
    big.write_text("Iran said on Tuesday that it opposes the offensive. " * 100)

    opened: list[str] = []
    real_read_bytes, real_read_text, real_path_open = pathlib.Path.read_bytes, pathlib.Path.read_text, pathlib.Path.open
    real_open = builtins.open

    def spy(real):
        def wrapper(self, *args, **kwargs):
            opened.append(str(self))
            return real(self, *args, **kwargs)
        return wrapper

    def spy_open(file, *args, **kwargs):
        opened.append(str(file))
        return real_open(file, *args, **kwargs)

    monkeypatch.setattr(pathlib.Path, "read_bytes", spy(real_read_bytes))
    monkeypatch.setattr(pathlib.Path, "read_text", spy(real_read_text))
    monkeypatch.setattr(pathlib.Path, "open", spy(real_path_open))
    monkeypatch.setattr(builtins, "open", spy_open)

    items = list(read([tmp_path], max_bytes=10))

    assert [a.id for a in articles(items)] == ["a.txt"]
    [problem] = problems(items)
    assert problem.source == str(big)
    assert re.search(r"limit|too (big|large)|over", problem.message, re.IGNORECASE)
    assert re.search(r"max.?bytes|split", problem.message, re.IGNORECASE)
    assert str(big) not in opened, "the oversized file was opened"


def test_jsonl_line_over_max_bytes_is_skipped_and_short_lines_are_read(tmp_path):
    path = tmp_path / "feed.jsonl"
    short = json.dumps({"id": "s", "text": "Iran won."})
    long = json.dumps({"id": "l", "text": "Iran said on Tuesday that it opposes the offensive. " * 10})
    path.write_text(f"{long}\n{short}\n", encoding="utf-8")

    items = list(read([path], max_bytes=len(short) + 5))

    assert [a.id for a in articles(items)] == ["s"]
    [problem] = problems(items)
    assert problem.source == f"{path}:1"
    assert re.search(r"max.?bytes|split", problem.message, re.IGNORECASE)


def test_the_byte_limit_counts_the_text_not_its_json_escaping(tmp_path):
    text = "é" * 100  # 200 bytes of UTF-8, 600 escaped as \u00e9 by json.dumps
    path = tmp_path / "feed.jsonl"
    path.write_text(json.dumps({"id": "e", "text": text}) + "\n" + json.dumps({"id": "f", "text": text * 2}) + "\n",
                    encoding="utf-8")
    items = list(read([path], max_bytes=300))
    assert [a.text for a in articles(items)] == [text]
    [problem] = problems(items)
    assert problem.source == f"{path}:2" and "400 bytes of text" in problem.message


def test_a_lone_surrogate_in_jsonl_becomes_a_replacement_character_at_the_same_offset(tmp_path):
    """json.loads gives "\\ud800" as a lone surrogate, which no UTF-8 output can hold: the build once died."""
    path = tmp_path / "feed.jsonl"
    path.write_text('{"id": "a\\udc00", "text": "Russia said \\ud800 the talks failed.", "title": "T\\ud800"}\n'
                    '{"id": "b", "text": "Turkey warned Russia. \\ud83d\\ude00"}\n', encoding="utf-8")
    a, b = articles(read([path]))
    assert a.text == "Russia said \ufffd the talks failed." and a.id == "a\ufffd" and a.title == "T\ufffd"
    assert b.text.endswith("\U0001F600")  # a whole pair is one character, kept
    for x in (a, b):
        x.text.encode("utf-8")


def test_a_file_name_that_is_not_utf8_gives_an_id_that_is(tmp_path):
    name = b"caf\xe9.txt"
    try:
        (tmp_path / pathlib.Path(name.decode("utf-8", "surrogateescape"))).write_text("Iran backed the plan.")
    except (UnicodeEncodeError, OSError):
        pytest.skip("this file system takes only UTF-8 names")
    [a] = articles(read([tmp_path]))
    assert a.id == "caf\ufffd.txt" and a.source.endswith("caf\ufffd.txt")
    a.id.encode("utf-8")


@pytest.mark.parametrize("suffix", [".txt", ".jsonl"])
def test_empty_file_is_reported_whatever_its_type(tmp_path, suffix):
    path = tmp_path / f"empty{suffix}"
    path.write_bytes(b"\n\n")
    [problem] = list(read([path]))
    assert isinstance(problem, Problem)
    assert problem.source.startswith(str(path))
    assert re.search(r"empty|no article|nothing", problem.message, re.IGNORECASE)


def test_missing_path_is_a_problem_that_says_what_to_do(tmp_path):
    (tmp_path / "a.txt").write_text("Iran said so.")
    missing = tmp_path / "no-such-folder"

    items = list(read([missing, tmp_path / "a.txt"]))

    assert [a.id for a in articles(items)] == ["a.txt"]
    [problem] = problems(items)
    assert problem.source == str(missing)
    assert re.search(r"no such|not found|does not exist|missing", problem.message, re.IGNORECASE)
    assert re.search(r"check|give|pass|create|spell|typo", problem.message, re.IGNORECASE), \
        f"says nothing about what to do: {problem.message}"


def test_empty_folder_is_a_problem_that_says_what_to_do(tmp_path):
    empty = tmp_path / "empty"
    empty.mkdir()
    (empty / "notes.pdf").write_bytes(b"%PDF-1.4")
    (tmp_path / "a.txt").write_text("Iran said so.")

    items = list(read([empty, tmp_path / "a.txt"]))

    assert [a.id for a in articles(items)] == ["a.txt"]
    [problem] = problems(items)
    assert problem.source == str(empty)
    assert re.search(r"\.txt", problem.message) and re.search(r"\.jsonl", problem.message)
    assert re.search(r"add|put|give|pass|point|move|check", problem.message, re.IGNORECASE), \
        f"says nothing about what to do: {problem.message}"


# --- dates ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("given, expected", [
    ("11 September 2018 - 22:25", "2018-09-11T22:25"),
    ("11 September 2018", "2018-09-11"),
    ("11th September 2018", "2018-09-11"),
    ("September 11, 2018", "2018-09-11"),
    ("Sep 11, 2018 10:30", "2018-09-11T10:30"),
    ("11 Sep 2018", "2018-09-11"),
    ("September 11, 2018 | 10:30", "2018-09-11T10:30"),
    ("2018-09-11", "2018-09-11"),
    ("2018-09-11 22:25", "2018-09-11T22:25"),
    ("2018-09-11T22:25:07", "2018-09-11T22:25"),
    ("2018-09-11 22:25 GMT", "2018-09-11T22:25"),
    ("  11 September 2018  ", "2018-09-11"),
])
def test_parse_date_news_formats(given, expected):
    assert parse_date(given) == expected


@pytest.mark.parametrize("given, expected", [
    ("2018-09-11T22:25:00Z", "2018-09-11T22:25"),  # ISO 8601 in UTC, what most feeds and APIs give
    ("Tue, 11 Sep 2018 22:25:00 GMT", "2018-09-11T22:25"),  # RFC 2822, the RSS pubDate format
    ("Tuesday, September 11, 2018", "2018-09-11"),  # AP style dateline with weekday
])
def test_parse_date_feed_formats(given, expected):
    assert parse_date(given) == expected


@pytest.mark.parametrize("given", ["", "not a date", "yesterday", "2018-13-45", "31 February 2018"])
def test_parse_date_rejects_non_dates(given):
    assert parse_date(given) is None


@pytest.mark.parametrize("given", ["yesterday", "Tue, 11 Sep 2018 22:25:00 GMT", "sometime in 2018"])
def test_article_published_is_iso_or_none(given):
    """Article.published is documented as ISO 8601; the RDF mapping types it xsd:date/xsd:dateTime."""
    article = make_article("a", "Iran said so.", published=given)
    assert article.published is None or ISO.fullmatch(article.published), article.published


# --- properties -------------------------------------------------------------------------------------------

LINES = st.one_of(
    st.text(max_size=40),
    st.sampled_from(["News ID: 1", "Publish Date: 11 September 2018 - 22:25", "Wednesday 24 July 2019",
                     "* Comment:", "Tags: Syria", "Advertisement", "   ", "", "By: Reuters", "2018-09-11",
                     "Iran said so.", "Publish Date: 99 Foo 2018"]),
)
TEXTS = st.one_of(
    st.text(),
    st.tuples(st.lists(LINES, max_size=8), st.sampled_from(["\n", "\r\n", "\r", "\u2028", "\x1c"]),
              st.booleans()).map(lambda t: t[1].join(t[0]) + (t[1] if t[2] else "")),
)


@settings(max_examples=300, deadline=None)
@given(TEXTS)
def test_split_boilerplate_body_is_within_text(text):
    (start, end), published = split_boilerplate(text)
    assert 0 <= start <= end <= len(text)
    assert published is None or ISO.fullmatch(published)


@settings(max_examples=300, deadline=None)
@given(TEXTS)
def test_split_boilerplate_never_leaves_a_text_with_content_without_body(text):
    (start, end), _ = split_boilerplate(text)
    if text.strip():
        assert text[start:end].strip() != ""


def test_a_wire_dateline_gives_the_date_only_when_nothing_else_does():
    text = "SOCCER - FRANCE WIN . PARIS 1996-08-31 France beat Mexico 2-0 on Saturday ."
    assert make_article("a", text).published == "1996-08-31"
    assert make_article("a", text, published="1996-09-01").published == "1996-09-01"
    assert make_article("a", "Publish Date: 2 September 1996\n\n" + text).published == "1996-09-02"
    # a date later in the story is no dateline
    assert make_article("a", "Talks ended . " + "x" * 400 + " PARIS 1996-08-31 .").published is None
