"""A bounded fuzz run in the suite (the long run is `benchmarks/fuzz.py --n 10000`): mutated
samples through the build's isolated pool end as `ok` or with a reason, never in an unexpected
exception or past the limits, and the good files of a mixed folder all load."""

from __future__ import annotations

from benchmarks import fuzz
from etl.engine.limits import Limits
from tests.conftest import scaled


def test_mutated_disclosures_end_with_a_reason(tmp_path):
    rep = fuzz.run(150, seed=20261129, jobs=2, limits=Limits(timeout_s=scaled(60), memory_mb=1024), workdir=tmp_path)
    assert rep.ok + rep.failed == 150
    assert rep.unexpected == [], rep.unexpected
    assert rep.over_limit == [], rep.over_limit
    assert rep.ok > 0 and rep.failed > 0  # the mutations reach both ends


def test_good_files_load_beside_mutated_ones(tmp_path):
    n_good, loaded, lost = fuzz.mixed_folder(seed=7, workdir=tmp_path, bad=30)
    assert loaded == n_good == 10, lost
