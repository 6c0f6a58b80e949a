"""Orca's customization file for the gate (copied into Orca's private settings folder).

python3-speechd registers a message's callback only after the server has answered
SPEAK; an END that arrives before that is dropped (the library's own comment says so),
and Orca's "say all" then waits for it for ever. A real voice takes long enough that it
never happens; the silent voice the gate uses answers at once. Events for a message not
yet registered are therefore kept and delivered when its callback is added.

And the end of "say all" is written down: once its last line has been spoken, a line
is added to ``said-all`` beside this file, so that the session knows a page has been
read to its end without waiting for a long silence.
"""

import os
from collections.abc import Iterator
from typing import Any

from orca import speech
from speechd import client

SAID_ALL = os.path.join(os.path.dirname(os.path.abspath(__file__)), "said-all")

_Handler = client._CallbackHandler  # the class whose race this closes
_early: dict[int, list[tuple[object, dict[str, object]]]] = {}


def _deliver(handler: Any, msg_id: int, kind: Any, kwargs: dict[str, Any]) -> None:
    callback, event_types = handler._callbacks[msg_id]
    if event_types is None or kind in event_types:
        callback(kind, **kwargs)
    if kind in (client.CallbackType.END, client.CallbackType.CANCEL):
        del handler._callbacks[msg_id]


# ``type``: the keyword the library calls it with.
def _call(self: Any, msg_id: int, client_id: Any, type: Any, **kwargs: Any) -> None:
    if client_id != self._client_id:
        return
    with self._lock:
        if msg_id not in self._callbacks:
            _early.setdefault(msg_id, []).append((type, kwargs))
            for old in [m for m in _early if m < msg_id - 200]:
                del _early[old]
            return
        _deliver(self, msg_id, type, kwargs)


def _add(self: Any, msg_id: int, callback: Any, event_types: Any) -> None:
    with self._lock:
        self._callbacks[msg_id] = (callback, event_types)
        for kind, kwargs in _early.pop(msg_id, []):
            if msg_id in self._callbacks:
                _deliver(self, msg_id, kind, kwargs)


_Handler.__call__ = _call
_Handler.add_callback = _add


def _said_all(lines: Iterator[Any]) -> Iterator[Any]:
    # Orca asks for the next line once the one before has been spoken: the end of
    # the lines is the end of the reading. A reading interrupted (a key, a focus
    # change) never gets here; one Orca ends early itself (its web script stops on a
    # cycle in the page) does, and the words it left out fail the page as not heard.
    yield from lines
    with open(SAID_ALL, "a", encoding="utf-8") as marks:
        marks.write("said all\n")


def _say_all(lines: Iterator[Any], progress: Any) -> None:
    _orca_say_all(_said_all(lines), progress)


# Orca may load this file more than once: wrap its "say all" once.
if not getattr(speech.sayAll, "klpublish", False):
    _orca_say_all = speech.sayAll
    _say_all.klpublish = True  # type: ignore[attr-defined]
    speech.sayAll = _say_all
