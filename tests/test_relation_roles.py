"""Relations a reader would sign: a role needs a role noun (where a person lives or comes from is no role), an
accusation names its doer, a verb's object is who it is about. Real pipeline."""
from __future__ import annotations

import pytest


def pairs(text: str, *types: str) -> list[tuple[str, str | None]]:
    """(subject, object or topic) of the relations of ``types`` (all but located_in when none) kg finds."""
    import kg

    x = kg.extract_text(text)
    names = {e.id: e.name for e in x.entities}
    return [(names[r.subject], names.get(r.object, r.object_topic)) for r in x.relations
            if r.type in types or not types and r.type != "located_in"]


@pytest.mark.parametrize("text, roles", [
    ("Toronto retiree Jane Doe said the tax was unfair.", []),
    ("Jane Doe, a Halifax woman, said the tax was unfair.", []),
    ("John Smith, a spokesman for the Pentagon, said the tax was unfair.", [("John Smith", "Pentagon")]),
    ("Syria's army fought on. Syrian President Bashar Assad spoke.", [("Bashar Assad", "Syria")]),
    # a role is held in an organisation or a country, not at a person
    ("Erin Murphy, a former Clinton aide, said the plan would fail.", []),
    ("Jason Miller, an adviser to Donald Trump, said the plan would work.", []),
    ("Erin Murphy, a consultant on Burma, said the plan would fail.", []),  # a topic, not a body she is in
    # the role of another person named inside the apposition is that person's
    ("Chris Scalia, a son of Ginsburg's close friend, late Supreme Court Justice Antonin Scalia, spoke on Sunday.",
     [("Antonin Scalia", "Supreme Court")]),
])
def test_a_role_needs_a_role_noun(nlp_ready, text, roles):
    assert pairs(text, "role") == roles


@pytest.mark.parametrize("text, roles", [
    ("Kevin McKinley, a financial adviser in Eau Claire, said the tax was unfair.", []),  # where he works
    ("Mike Savage, the mayor of Halifax, said the tax was unfair.", [("Mike Savage", "Halifax")]),  # its office
    ("Peter Morgan, a lawyer for the Sierra Club, said the tax was unfair.", [("Peter Morgan", "Sierra Club")]),
])
def test_a_role_at_a_city_is_an_office_of_the_city(nlp_ready, text, roles):
    assert pairs(text, "role") == roles


@pytest.mark.parametrize("text, accused", [
    ("Russia said that terrorists plan to launch a chemical weapons attack.", [("Russia", "terrorists")]),
    ("Turkey said the attack was launched by Hamas.", [("Turkey", "Hamas")]),  # the agent did it
    # whom it was done to is accused of nothing
    ("Police said Rakeyia Scott was shot and killed by officers.", []),
    # a plan or a use is a wrong only when what is planned or used is one
    ("A Clinton aide said Hillary Clinton plans to visit Charlotte on Sunday.", []),
    ("The newspaper said Guangzhou uses up 500,000 plastic containers each day.", []),
])
def test_a_claim_that_someone_did_a_wrong_accuses_the_doer(nlp_ready, text, accused):
    assert pairs(text, "accuses") == accused


@pytest.mark.parametrize("text, relations", [
    # the names in apposition are whom the verb is about; the subjects are never its object
    ("The Securities and Exchange Commission and federal prosecutors charged two developers, Ariel Quiros and "
     "William Stenger, with fraud.",
     [("Securities and Exchange Commission", "Ariel Quiros"), ("Securities and Exchange Commission", "William Stenger"),
      ("federal prosecutors", "Ariel Quiros"), ("federal prosecutors", "William Stenger")]),
    ("Iran and Russia backed the two groups.", [("Iran", "two groups"), ("Russia", "two groups")]),
])
def test_a_verb_s_object_is_named_in_apposition_and_is_never_its_own_subject(nlp_ready, text, relations):
    assert pairs(text) == relations


@pytest.mark.parametrize("text, relations", [
    ("Union leaders criticised the new tax plan.", [("Union leaders", "new tax plan")]),
    ("A senior Belarus politician accused President Alexander Lukashenko of fraud.",
     [("senior Belarus politician", "Alexander Lukashenko")]),
    # a thing takes no side
    ("The new data support the argument for a tax cut.", []),
    ("Research grants from the foundation supported the development of the vaccine.", []),
    ("Our advocacy supported the Special Diabetes Program.", []),
])
def test_only_someone_who_can_act_is_the_subject_of_a_relation(nlp_ready, text, relations):
    assert pairs(text) == relations


@pytest.mark.parametrize("text, relations", [
    ("Donald Trump backed the new tax plan.", [("Donald Trump", "new tax plan")]),
    ("Donald Trump backed off some of his initial proposals.", []),  # the particle turns the verb
    ("Charlie Sheen receives a weekly injection.", []),  # one hosts someone, not a thing
    ("The German chancellor Angela Merkel received Vladimir Putin in Berlin.", [("Angela Merkel", "Vladimir Putin")]),
])
def test_a_relation_reads_the_verb_as_a_reader_does(nlp_ready, text, relations):
    assert pairs(text) == relations
