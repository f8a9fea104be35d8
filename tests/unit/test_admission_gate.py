"""The residents' gate with real threads: never more holders than the bound, the line is
served first come first served, a wait that runs out is a refusal, and refused residents
are told to return one after another rather than all in the same second."""
import threading
import time

from queue_app.admission import RETRY_AFTER_MAX, Gate


def test_never_more_holders_than_the_bound_and_everyone_in_line_gets_in():
    gate = Gate(limit=3, wait_seconds=30)
    holding, most, lock = [0], [0], threading.Lock()

    def resident():
        given = gate.enter()
        assert given is not None
        with lock:
            holding[0] += 1
            most[0] = max(most[0], holding[0])
        time.sleep(0.01)
        with lock:
            holding[0] -= 1
        gate.leave(given)

    crowd = [threading.Thread(target=resident) for _ in range(30)]
    for t in crowd:
        t.start()
    for t in crowd:
        t.join(30)
    assert most[0] == 3


def test_the_line_is_first_come_first_served():
    gate = Gate(limit=1, wait_seconds=30)
    held = gate.enter()
    order = []

    def resident(n):
        given = gate.enter()
        order.append(n)
        gate.leave(given)

    line = []
    for n in range(5):
        t = threading.Thread(target=resident, args=(n,))
        t.start()
        line.append(t)
        while len(gate._line) < n + 1:      # each stands in line before the next comes
            time.sleep(0.001)
    gate.leave(held)
    for t in line:
        t.join(10)
    assert order == [0, 1, 2, 3, 4]


def test_a_wait_that_runs_out_is_a_refusal_and_frees_its_place_in_line():
    gate = Gate(limit=1, wait_seconds=0.05)
    held = gate.enter()
    began = time.monotonic()
    assert gate.enter() is None
    assert time.monotonic() - began < 1
    assert not gate._line
    gate.leave(held)
    assert gate.enter() is not None


def test_no_wait_refuses_at_once():
    gate = Gate(limit=1, wait_seconds=0)
    assert gate.enter() is not None
    assert gate.enter() is None


def test_refused_residents_are_told_to_return_one_after_another():
    gate = Gate(limit=1, wait_seconds=0)
    gate.leave(gate.enter() - 5)             # one place, and slow: about one a second
    told = [gate.retry_after() for _ in range(30)]
    assert told == sorted(told)              # refused later, told to return later
    assert told[0] <= 2 and told[-1] == RETRY_AFTER_MAX   # spread out, then capped
    assert len(set(told)) >= RETRY_AFTER_MAX - 2
