"""Proposal emails composed partly in a worker process are the ones composed here, in order."""

from __future__ import annotations

from jumelage.notify import released
from tests.notify.helpers import RUN_DATE, context_for, person


def items(n: int) -> list[released.Item]:
    out = []
    for i in range(n):
        mentee = person(f"Mentoré{i}", "Test", f"mentee{i}@example.org")
        context = {**context_for("proposal", mentee=mentee), "proposal_id": f"P-{i:04d}"}
        out.append((mentee["email"], context, f"P-{i:04d}", "en" if i % 3 == 0 else "fr"))
    return out


def test_worker_and_this_process_compose_the_same_messages(config, monkeypatch) -> None:
    work = items(23)
    here = released.compose_all(config, RUN_DATE, work)  # under POOL_FROM: this process only

    composed_here = []
    real = released.compose

    def counted(*args, **kwargs):  # this process only: the worker imports the real one
        composed_here.append(kwargs["about"])
        return real(*args, **kwargs)

    monkeypatch.setattr(released, "compose", counted)
    monkeypatch.setattr(released, "POOL_FROM", 0)
    shared = released.compose_all(config, RUN_DATE, work)
    assert shared == here
    assert [m.about for m in shared] == [f"P-{i:04d}" for i in range(23)]
    assert {m.language for m in shared} == {"fr", "en"}
    assert len(composed_here) == 23 - int(23 * released.WORKER_SHARE)  # the rest: the worker


def test_a_worker_that_fails_or_hangs_costs_the_night_nothing(config, monkeypatch, caplog) -> None:
    """The worker cannot receive its share (a context that does not pickle), or is still
    starting when its time is up: either way its share is rendered here, the same emails in
    the same order, and the night goes on."""
    work = items(9)
    here = released.compose_all(config, RUN_DATE, work)
    monkeypatch.setattr(released, "POOL_FROM", 0)

    unpicklable = [
        (to, {**context, "note": lambda: None}, about, lang) for to, context, about, lang in work
    ]
    assert released.compose_all(config, RUN_DATE, unpicklable) == here
    assert "the worker process failed" in caplog.text

    caplog.clear()
    monkeypatch.setattr(released, "WORKER_GRACE_SECONDS", 0.0)
    monkeypatch.setattr(released, "WORKER_SECONDS_PER_EMAIL", 0.0)
    assert released.compose_all(config, RUN_DATE, work) == here
    assert "TimeoutError" in caplog.text
