"""Parse on a Dask distributed cluster: batches of paths go to workers, each batch runs in the
same isolated pool (one subprocess per Dask worker, same limits), and the parsed documents come
back as payloads that the client stores in its own cache. Workers read the files from shared
storage (the same paths) — see docs/etl.md for running a real cluster.

Without a scheduler address a `LocalCluster` is started on this machine (one process per job,
one thread each), which is how the tests compare Dask with the local executor.
"""

from __future__ import annotations

from collections.abc import Iterator

from etl.engine.limits import Limits
from etl.engine.task import TaskResult


def parse_batch(batch: list[tuple[int, str]], limits: Limits) -> list[TaskResult]:
    """Runs on a Dask worker: the batch through an isolated one-process pool, payloads returned."""
    from etl.engine.pool import IsolatedPool

    return list(IsolatedPool(1, limits, cache_root=None, want_payload=True).run(batch))


def _batches(tasks: list[tuple[int, str]], size: int) -> list[list[tuple[int, str]]]:
    return [tasks[i : i + size] for i in range(0, len(tasks), size)]


def run_dask(
    tasks: list[tuple[int, str]], limits: Limits, scheduler: str | None, jobs: int, batch_size: int = 200
) -> Iterator[TaskResult]:
    from distributed import Client, LocalCluster, as_completed

    cluster = None
    if scheduler is None:
        cluster = LocalCluster(
            n_workers=jobs, threads_per_worker=1, processes=True, dashboard_address=None, silence_logs=50
        )
        client = Client(cluster)
    else:
        client = Client(scheduler)
    try:
        size = max(1, min(batch_size, -(-len(tasks) // max(1, jobs * 4))))
        futures = client.map(parse_batch, _batches(tasks, size), limits=limits, pure=False)
        for fut in as_completed(futures):
            yield from fut.result()
            fut.release()
    finally:
        client.close()
        if cluster is not None:
            cluster.close()
