"""What runs in a Dask worker for one step of a run (the task the Dask executor submits).

A task first *claims* its step over a connection to the run's process (the run's single
writer, :mod:`~headwater.execution.executors.dask`): the run answers ``go``, or ``no`` when
that attempt was already claimed elsewhere (Dask running the task again after losing the
worker that held it: the run decides itself whether the step is retried). The task then loads
the job (once per worker process and run), runs the step through the same worker code as
the multiprocess executor (:class:`~headwater.execution.executors.worker.Worker`), sending
the step's events on every flush, and ends with ``("done", StepDone)``. Values go through
the step's IO managers; nothing but events and the small ``StepDone`` leaves the task.

Connections are kept per worker thread for the run's address (a worker thread runs one task
at a time, so messages on one connection are never interleaved).
"""

from __future__ import annotations

import os
import pickle
import socket
import threading
from collections import OrderedDict
from multiprocessing.connection import Client
from typing import Any

from headwater.execution.executors.messages import dumps
from headwater.execution.step.lifecycle import error_data

# Loaded jobs of the last runs seen by this worker process: pickled WorkerInit -> worker.
_LOADED: OrderedDict[bytes, Any] = OrderedDict()
_KEEP_RUNS = 2
_load_lock = threading.Lock()
_local = threading.local()


def run_step(
    init: bytes, request: bytes, address: tuple[str, int], authkey: bytes, task_key: str
) -> bool:
    """Run one step of a run in this Dask worker (the function the executor submits).

    Args:
        init: the pickled ``WorkerInit`` of the run.
        request: the pickled ``StepRequest`` of the step.
        address / authkey: where the run's process listens for the events of its steps.
        task_key: this attempt's Dask key (what the run knows the attempt by).

    Returns:
        ``True`` when the step ran (its result went to the run's process), ``False`` when the
        run refused the attempt (already claimed by a worker that was lost).
    """
    conn = _connection(address, authkey)
    conn.send_bytes(dumps(("claim", (task_key, _worker_address(), os.getpid()))))
    if conn.recv_bytes() != b"go":
        return False
    try:
        worker = _loaded(init)
    except Exception as exc:
        conn.send_bytes(dumps(("failed_to_load", error_data(exc))))
        return True
    from headwater.execution.run.logs import capture_python_logging

    with capture_python_logging():
        done = worker.with_connection(conn).run(pickle.loads(request))
    conn.send_bytes(dumps(("done", done)))
    return True


def _connection(address: tuple[str, int], authkey: bytes) -> Any:
    """This thread's connection to the run listening at ``address`` (opened once)."""
    current = getattr(_local, "conn", None)
    if current is not None and _local.address == address and not current.closed:
        return current
    if current is not None:
        current.close()
    _local.conn = no_delay(Client(address, authkey=authkey))
    _local.address = address
    return _local.conn


def no_delay(conn: Any) -> Any:
    """``conn`` (a TCP connection) sending small messages at once (``TCP_NODELAY``): a step
    sends a few small messages in a row, which Nagle's algorithm would hold back for an
    acknowledgement (some 40 ms each)."""
    with socket.socket(fileno=os.dup(conn.fileno())) as sock:
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    return conn


def _loaded(init: bytes) -> Any:
    """The job and prepared run of ``init``, loaded once per worker process and run."""
    from headwater.execution.executors.worker import Worker

    with _load_lock:
        worker = _LOADED.get(init)
        if worker is None:
            worker = _LOADED[init] = Worker(pickle.loads(init), None)
            while len(_LOADED) > _KEEP_RUNS:
                _, old = _LOADED.popitem(last=False)
                old.close()
        else:
            _LOADED.move_to_end(init)
    return worker


def _worker_address() -> str:
    try:
        from distributed import get_worker

        return str(get_worker().address)
    except (ImportError, ValueError):  # not in a Dask worker (a direct call in a test)
        return ""
