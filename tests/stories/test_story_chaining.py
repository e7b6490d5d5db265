"""No story grows by one weak link at a time, while one event's many versions still form one story.

Plain Python: the grouper on matches as the index reports them (best first, scores are cosines).
"""

from articles.stories.grouping import STRONG_LINK, Grouper
from articles.stories.similarity import Match

WEAK = 0.5  # below STRONG_LINK: a rewrite, a reaction, or only a running matter's next report


def weak(*keys: int) -> list[Match]:
    return [Match(key, WEAK, False) for key in keys]


def test_a_chain_of_weak_successive_links_does_not_become_one_story():
    grouper = Grouper()
    grouper.place(1, [])
    grouper.place(2, weak(1))  # B like A
    grouper.place(3, weak(2))  # C like B only: half of the story {A, B}
    grouper.place(4, weak(3))  # D like C only: a third of {A, B, C}
    grouper.place(5, weak(4))  # E like D only
    story = grouper.story
    assert story[1] == story[2] == story[3]
    assert story.get(4) != story[1], "D matches one of three members: not tied to the story"
    assert story[4] == story[5], "D and E start a story of their own"
    assert len(grouper.members[story[1]]) == 3


def test_the_versions_of_one_event_matching_each_other_form_one_story():
    grouper = Grouper()
    grouper.place(1, [])
    grouper.place(2, weak(1))
    grouper.place(3, weak(1, 2))
    grouper.place(4, weak(3, 1))  # two of three members
    grouper.place(5, weak(2, 4))  # two of four
    grouper.place(6, weak(5, 3, 1))  # three of five
    assert len({grouper.story[key] for key in range(1, 7)}) == 1


def test_a_strong_link_ties_an_article_on_its_own():
    grouper = Grouper(story={1: 10, 2: 10, 3: 10, 4: 10})
    grouper.place(5, [Match(4, STRONG_LINK, False)])  # a repeat of one member
    grouper.place(6, weak(4))  # a weak link to one of five members
    assert grouper.story[5] == 10
    assert grouper.story.get(6) is None


def test_a_story_counts_the_members_it_was_told_about():
    """The assignment of one article loads only its matches' stories, and ``remember`` the rest of
    their members: a story's size is all of it."""
    grouper = Grouper(story={1: 10, 2: 10, 3: 10})
    grouper.remember([(4, 10), (5, 10), (6, 10)])
    grouper.place(7, weak(1, 2))  # two of six members
    assert grouper.story.get(7) is None
    grouper.place(8, weak(1, 2, 3))  # three of six
    assert grouper.story[8] == 10
