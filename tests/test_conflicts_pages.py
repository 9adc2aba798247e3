"""conflicts reads only the first holders of each side for a page: every page must still be the slice of the
whole answer that plain SPARQL (no window) gives, whoever holds which side, actors holding both included.
Hand-built extractions, a real on-disk store, no spaCy."""
from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kg import queries, resources
from kg.store import EmbeddedStore
from test_summary import extraction, graph  # noqa: E402  (the hand-built articles of the summary tests)

# (speaker, stance: 0 support / 1 oppose, target, statements): every actor may take either side on any target
TAKES = st.lists(st.tuples(st.integers(0, 4), st.integers(0, 1), st.integers(0, 4), st.integers(1, 2)),
                 min_size=1, max_size=5)


def plain_answer(store: EmbeddedStore) -> list[list]:
    """The whole answer as plain SPARQL gives it: the window lines are comments there (conflicts has no parameter
    or helper column for kg to drop)."""
    return queries._rows(store.query(queries.get("conflicts").text))[1]


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(TAKES, min_size=1, max_size=4))
def test_every_page_of_conflicts_is_its_slice_of_the_whole_answer(tmp_path_factory, articles):
    with EmbeddedStore(tmp_path_factory.mktemp("s") / "kg") as store:
        store.ensure_ontology(resources.ontology())
        store.write_articles([graph(extraction(f"doc{n}", takes)) for n, takes in enumerate(articles)])
        store.finish()
        whole = plain_answer(store)
        assert queries.answer(store, "conflicts", {}).rows == whole
        for size in (1, 2, 3):
            for offset in range(0, len(whole) + 1):
                page = queries.answer(store, "conflicts", {}, limit=size, offset=offset)
                assert page.rows == whole[offset:offset + size], (size, offset)
                assert page.total == len(whole)


def test_an_actor_on_both_sides_before_the_others_still_gives_the_first_row(tmp_path):
    """The case that needs one holder more than the page: Donald Trump supports and opposes himself and sorts
    first, so the first row pairs him with the second supporter, 'Trump'."""
    with EmbeddedStore(tmp_path / "kg") as store:
        store.ensure_ontology(resources.ontology())
        store.write_articles([graph(extraction("doc0", [(0, 0, 0, 1), (0, 1, 0, 1), (1, 0, 0, 1)]))])
        store.finish()
        whole = plain_answer(store)
        assert [queries.plain(r[0]) for r in whole] == ["Donald Trump"]
        assert queries.answer(store, "conflicts", {}, limit=1).rows == whole[:1]
