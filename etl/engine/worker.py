"""Worker process of the isolated pool: `python -m etl.engine.worker`.

Protocol: length-prefixed pickles on the original stdout/stdin; fd 1 is pointed at stderr so a
library that prints cannot corrupt the stream. The process sets its own address-space backstop
(RLIMIT_AS); the parent enforces wall time and resident memory and kills it when needed.
"""

from __future__ import annotations

import logging
import os
import pickle
import resource
import struct
import sys

HEADER = struct.Struct("<Q")


def _read_exact(fd: int, n: int) -> bytes | None:
    chunks, got = [], 0
    while got < n:
        b = os.read(fd, n - got)
        if not b:
            return None
        chunks.append(b)
        got += len(b)
    return b"".join(chunks)


def write_msg(fd: int, obj) -> None:
    data = pickle.dumps(obj, protocol=pickle.HIGHEST_PROTOCOL)
    view = memoryview(HEADER.pack(len(data)) + data)
    while view:
        n = os.write(fd, view)
        view = view[n:]


def _limit_address_space(memory_mb: int) -> None:
    # A backstop well above the resident cap: libraries reserve address space they never touch.
    soft = (memory_mb + 3072) * 2**20
    try:
        resource.setrlimit(resource.RLIMIT_AS, (soft, soft))
    except (ValueError, OSError):
        pass


def main() -> None:
    out_fd = os.dup(1)
    os.dup2(2, 1)
    in_fd = sys.stdin.fileno()
    logging.disable(logging.WARNING)
    memory_mb = int(os.environ.get("SHEBAO_WORKER_MEMORY_MB", "0"))
    if memory_mb:
        _limit_address_space(memory_mb)
    import etl.pipeline  # noqa: F401  (import once, not per task)
    from etl.engine.task import run_task

    write_msg(out_fd, "ready")  # the parent starts a file's clock only now

    while True:
        head = _read_exact(in_fd, HEADER.size)
        if head is None:
            return
        body = _read_exact(in_fd, HEADER.unpack(head)[0])
        if body is None:
            return
        index, path, limits, cache_root, want_payload = pickle.loads(body)
        try:
            res = run_task(index, path, limits, cache_root, want_payload)
        except MemoryError:
            from etl.engine.task import TaskResult

            res = TaskResult(
                index, path, False, f"failed: memory cap exceeded ({limits.memory_mb} MiB)", retryable=True
            )
        write_msg(out_fd, res)


if __name__ == "__main__":
    main()
