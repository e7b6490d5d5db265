"""A search link's query string is what a changed copy of the request's parameters encodes to."""

from django.http import QueryDict
from hypothesis import given
from hypothesis import strategies as st

from articles.search.links import query_string

names = st.sampled_from(["q", "outlet", "place", "page", "from", "more", "é", "a b"])
values = st.text(max_size=8)


def copied(params: QueryDict, replace: dict, drop: set) -> str:
    """The same change made the slow way: a copy of the QueryDict, changed and encoded."""
    new = params.copy()
    for name, given_values in replace.items():
        new.setlist(name, list(given_values))
    for name in drop:
        new.pop(name, None)
    return new.urlencode()


@given(
    st.lists(st.tuples(names, values), max_size=6),
    st.dictionaries(names, st.lists(values | st.integers(1, 99), max_size=3), max_size=3),
    st.sets(names, max_size=2),
)
def test_it_is_the_changed_copy_encoded(pairs, replace, drop):
    params = QueryDict(mutable=True)
    for name, value in pairs:
        params.appendlist(name, value)
    replace = {name: v for name, v in replace.items() if name not in drop}
    assert query_string(params, replace, drop) == copied(params, replace, drop)


def test_a_replaced_name_keeps_its_place_and_a_new_one_comes_last():
    params = QueryDict("q=oil&outlet=Reuters&outlet=AFP&page=3")
    assert query_string(params, {"outlet": ["AFP"], "place": ["Lima"]}, drop={"page"}) == (
        "q=oil&outlet=AFP&place=Lima"
    )
    assert query_string(params, {"outlet": []}) == "q=oil&page=3"
