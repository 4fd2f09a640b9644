"""The exact maximal covering location problem (MCLP, 最大覆盖选址) on precomputed coverage sets.

``facilities.sites`` decides coverage on the ellipsoid; this module turns those sets into
the smallest equivalent MCLP and solves it with spopt's ``MCLP`` model (PySAL, DESIGN.md)
and the CBC solver that ships inside the ``pulp`` wheel (no network, no system package).

Reduction (each step leaves the optimum unchanged, docs/adr/0010):

* Demand already covered by an existing facility is removed instead of adding the
  existing facilities as spopt's ``predefined_facilities_arr``: with those fixed open,
  every demand they reach is covered whatever else is chosen, so it only adds a
  constant to the objective; removing it keeps the existing facilities out of the
  model (a province has thousands) and keeps ``p`` the number of *new* sites.
* Demand with zero weight, and demand that no candidate reaches, is dropped.
* Candidates that reach no remaining demand are dropped (the "columns").
* Demand points reached by exactly the same columns are merged into one row whose
  weight is their sum.

The model is spopt's formulation (maximise Σ wᵢ·yᵢ subject to Σ_{j∈Nᵢ} xⱼ ≥ yᵢ,
Σ xⱼ = p, binary x, y). ``MCLP.from_cost_matrix`` builds each coverage row as a sum
over *every* column in Python, which took 11.8 s for the 1,088 × 1,051 reduced matrix
of the province-sized benchmark; the rows here are added over the covering columns
only, the same constraints without the zero terms (a test checks both give the same
optimum). spopt's ``MCLP`` object, variable builders, cardinality constraint and
``solve`` are used as they are.
"""

from __future__ import annotations

import time
import warnings
from contextlib import contextmanager
from dataclasses import dataclass

import numpy as np

# Above this many coverage-matrix non-zeros the model is not built: pulp spends about
# 2-3 µs per term in Python before CBC starts (docs/adr/0010), so the time limit would
# be gone before solving.
MAX_NONZEROS = 2_000_000
# CBC gets at least this long even when building the model used most of the time limit.
MIN_SOLVER_SECONDS = 1.0


class MclpError(Exception):
    """The exact model was not solved; ``str()`` says why, in words for the planner."""


@dataclass(frozen=True)
class CoverageProblem:
    """An MCLP reduced to the demand and candidates that matter.

    ``columns``: candidate indices (in the caller's numbering) reaching remaining demand;
    ``rows``: for each demand group, the positions in ``columns`` that reach it;
    ``weights``: each group's weight (the sum of its demand points' weights).
    """

    columns: np.ndarray
    rows: tuple[np.ndarray, ...]
    weights: np.ndarray

    @property
    def nonzeros(self) -> int:
        return sum(len(r) for r in self.rows)

    @property
    def coverable(self) -> float:
        """Upper bound of any choice: everything some candidate could reach."""
        return float(self.weights.sum())


@dataclass(frozen=True)
class MclpSolution:
    chosen: tuple[int, ...]  # candidate indices (caller's numbering) the solver opened
    optimal: bool  # proven optimal (False: CBC stopped at the time limit with a feasible answer)
    seconds: float


def reduce_problem(sets, weights: np.ndarray, covered: np.ndarray) -> CoverageProblem:
    """The reduced MCLP of coverage ``sets`` (demand indices per candidate)."""
    open_demand = ~covered & (weights > 0)
    reach: dict[int, list[int]] = {}  # demand index -> columns reaching it
    columns: list[int] = []
    for j, members in enumerate(sets):
        members = np.asarray(members, dtype=int)
        members = members[open_demand[members]]
        if len(members) == 0:
            continue
        col = len(columns)
        columns.append(j)
        for i in members.tolist():
            reach.setdefault(i, []).append(col)
    groups: dict[tuple[int, ...], float] = {}
    for i, cols in reach.items():
        key = tuple(cols)  # ascending: columns were appended in order
        groups[key] = groups.get(key, 0.0) + float(weights[i])
    return CoverageProblem(
        columns=np.asarray(columns, dtype=int),
        rows=tuple(np.asarray(key, dtype=int) for key in groups),
        weights=np.fromiter(groups.values(), dtype=float, count=len(groups)),
    )


def solve_mclp(problem: CoverageProblem, p: int, *, time_limit_s: float, start=()) -> MclpSolution:
    """Open ``min(p, columns)`` candidates covering the most weight; ``start`` warm-starts CBC.

    Raises ``MclpError`` when the solver is missing or fails, finds no answer within
    ``time_limit_s``, or the instance is too large to build in time.
    """
    started = time.perf_counter()
    p = min(p, len(problem.columns))
    if p <= 0 or not problem.rows:
        return MclpSolution(chosen=(), optimal=True, seconds=0.0)
    if problem.nonzeros > MAX_NONZEROS:
        raise MclpError(f"问题规模过大（覆盖矩阵 {problem.nonzeros:,} 个非零元，上限 {MAX_NONZEROS:,}）")

    # Imported here: spopt pulls in geopandas, scikit-learn and libpysal (~3-5 s on first
    # import), which no other page needs.
    import pulp
    from spopt.locate import MCLP
    from spopt.locate.base import FacilityModelBuilder

    with _quiet_pulp():
        solver = pulp.PULP_CBC_CMD(msg=False, warmStart=bool(start))
        if not solver.available():
            raise MclpError("精确求解器 CBC 不可用（pulp 安装不完整）")
        model = MCLP("mclp", pulp.LpProblem("mclp", pulp.LpMaximize))
        FacilityModelBuilder.add_facility_integer_variable(model, range(len(problem.columns)), "x[{i}]")
        FacilityModelBuilder.add_client_integer_variable(model, range(len(problem.rows)), "y[{i}]")
        x, y = model.fac_vars, model.cli_vars
        model.problem += pulp.lpSum(float(w) * y[i] for i, w in enumerate(problem.weights)), "objective function"
        for i, cols in enumerate(problem.rows):
            # spopt's maximal coverage constraint, over the covering columns only.
            model.problem += pulp.lpSum(x[j] for j in cols) >= y[i]
        FacilityModelBuilder.add_facility_constraint(model, p)
        if start:
            _warm_start(problem, p, x, y, start)
        solver.timeLimit = max(MIN_SOLVER_SECONDS, time_limit_s - (time.perf_counter() - started))
        try:
            model.solve(solver, results=False)
        except pulp.PulpSolverError as exc:
            raise MclpError(f"求解器运行失败（{exc}）") from exc
        except RuntimeError as exc:  # spopt's check_status: no answer (e.g. stopped before finding one)
            raise MclpError(f"求解器在 {time_limit_s:g} 秒时限内没有得到可行解") from exc
    chosen = tuple(int(problem.columns[j]) for j, var in enumerate(x) if (var.value() or 0) > 0.5)
    return MclpSolution(
        chosen=chosen,
        optimal=model.problem.sol_status == pulp.LpSolutionOptimal,
        seconds=time.perf_counter() - started,
    )


@contextmanager
def _quiet_pulp():
    """Silence PuLP 3.x's announcements of its 4.0 API.

    ``PULP_CBC_CMD`` (the CBC inside the pulp wheel) and spopt's ``LpVariable(...)``
    calls are deprecated for PuLP 4.0, which moves CBC to a separate 190 MB package;
    requirements.txt keeps pulp < 4 (docs/adr/0010).
    """
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message=r".*PuLP 4\.0", category=DeprecationWarning)
        yield


def _warm_start(problem: CoverageProblem, p: int, x, y, start) -> None:
    """A feasible starting answer for CBC: ``start`` (e.g. greedy) padded to exactly ``p`` sites."""
    position = {int(c): k for k, c in enumerate(problem.columns)}
    opened = [position[c] for c in start if c in position][:p]
    taken = set(opened)
    opened += [k for k in range(len(problem.columns)) if k not in taken][: p - len(opened)]
    is_open = np.zeros(len(problem.columns), dtype=bool)
    is_open[opened] = True
    for k, var in enumerate(x):
        var.setInitialValue(1 if is_open[k] else 0)
    for i, cols in enumerate(problem.rows):
        y[i].setInitialValue(1 if is_open[cols].any() else 0)
