"""Orca's customization file for the gate (copied into Orca's private settings folder).

python3-speechd registers a message's callback only after the server has answered
SPEAK; an END that arrives before that is dropped (the library's own comment says so),
and Orca's "say all" then waits for it for ever. A real voice takes long enough that it
never happens; the silent voice the gate uses answers at once. Events for a message not
yet registered are therefore kept and delivered when its callback is added.
"""

from typing import Any

from speechd import client

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
