"""At most one working and one waiting flow run per output folder, whatever the events.

The sync deployment's concurrency limit lets one run work; a run created meanwhile waits
on the server (Scheduled, AwaitingConcurrencySlot), without a process. A run reads every
change made before it scans the corpus, so when it starts it cancels the runs waiting
behind it (`supersede_waiting`): their changes are its own, and when one of them was a
scheduled sync of every file, the run reads every file. `reportmt watch` and the review
workspace ask for no run while one is waiting (`run_is_waiting`): it will read their changes.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from uuid import UUID

from prefect.client.orchestration import SyncPrefectClient, get_client
from prefect.client.schemas.filters import (
    DeploymentFilter,
    DeploymentFilterId,
    FlowRunFilter,
    FlowRunFilterExpectedStartTime,
    FlowRunFilterState,
    FlowRunFilterStateType,
)
from prefect.client.schemas.objects import Deployment, FlowRun, StateType
from prefect.client.schemas.sorting import FlowRunSort
from prefect.exceptions import ObjectNotFound
from prefect.states import Cancelled

from reportmt.events import deployment_full_name

WAITING = [StateType.SCHEDULED, StateType.PENDING]
STARTED = [StateType.PENDING, StateType.RUNNING, StateType.CANCELLING]


def sync_deployment(client: SyncPrefectClient, out_dir: Path) -> Deployment | None:
    """The output folder's sync deployment, if `reportmt serve` registered it."""
    try:
        return client.read_deployment_by_name(deployment_full_name(out_dir))
    except ObjectNotFound:
        return None


def runs_in_states(client: SyncPrefectClient, deployment_id: UUID, states: list[StateType] | None = None, *,
                   due: bool = True, since: datetime | None = None) -> list[FlowRun]:
    """The deployment's runs in these states (None: any); ``due``: leave out runs scheduled
    for later; ``since``: only runs due at or after that time (a triggered run is due when made)."""
    flow_runs = FlowRunFilter(
        state=FlowRunFilterState(type=FlowRunFilterStateType(any_=states)) if states else None,
        expected_start_time=FlowRunFilterExpectedStartTime(before_=datetime.now(UTC) if due else None,
                                                           after_=since),
    )
    return client.read_flow_runs(deployment_filter=DeploymentFilter(id=DeploymentFilterId(any_=[deployment_id])),
                                 flow_run_filter=flow_runs, sort=FlowRunSort.EXPECTED_START_TIME_ASC, limit=200)


@dataclass(frozen=True)
class Superseded:
    cancelled: int  # waiting runs this run took the place of
    every_file: bool  # one of them would have read every file: so must this run


def supersede_waiting(flow_run_id: str, deployment_id: str | None) -> Superseded:
    """Cancel the runs of the deployment that wait behind this one: it is about to read
    every change they were made for. When one of them was to read every file (a scheduled
    sync), this run must read every file too, and says so."""
    if deployment_id is None:  # `reportmt run`: no deployment, nothing waits behind it
        return Superseded(0, False)
    with get_client(sync_client=True) as client:
        waiting = [run for run in runs_in_states(client, UUID(deployment_id), [StateType.SCHEDULED])
                   if run.id != UUID(flow_run_id)]
        for run in waiting:
            client.set_flow_run_state(run.id, Cancelled(message=f"superseded by flow run {flow_run_id}, which reads "
                                                                "every change made before it started"), force=True)
    return Superseded(len(waiting), any(not run.parameters.get("changes_only") for run in waiting))


def run_is_waiting(client: SyncPrefectClient, deployment: Deployment) -> bool:
    """A run of the deployment is due or about to start and has not read the corpus yet."""
    return bool(runs_in_states(client, deployment.id, WAITING))
