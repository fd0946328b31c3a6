"""Where `sourcelight batch` runs its partitions: in its own process, or on a Dask cluster.

    --cluster local[:N]          a LocalCluster of N worker processes (one thread each), started
                                 and stopped by the run (the default when --processes N > 1)
    --cluster tcp://host:8786    an existing cluster's scheduler (`dask scheduler`/`dask worker`,
                                 Kubernetes, an HPC job queue …); any Dask address scheme works
    --cluster scheduler.json     an existing cluster's scheduler file (`dask scheduler --scheduler-file`)

Both runners take an iterator of partitions (lists of Articles) and yield (partition, outcomes)
as partitions finish, through the same `partition.analyse_partition`. On Dask the model is
loaded once per worker (AnalyzerPlugin, also run on a worker that joins or is restarted later),
only a bounded number of partitions is in flight (memory stays flat whatever the corpus size),
and a partition whose worker died is run again by the scheduler (up to
`distributed.scheduler.allowed-failures` times, 3 by default). A partition that still kills its
workers is split and each of its articles tried alone, so one poisonous text fails by itself.
"""
from __future__ import annotations

import logging
import os
import uuid
from asyncio import CancelledError
from typing import Iterable, Iterator

from .corpus_io import Article
from .partition import Outcome, RunOptions, analyse_partition, load_analyzer

log = logging.getLogger("sourcelight")


class ClusterError(Exception):
    """A --cluster value that cannot be used, or a cluster that cannot be reached."""


def parse_spec(spec: str | None, processes: int) -> tuple[str, object]:
    """("process", None) | ("local", workers) | ("address", "tcp://…") | ("scheduler_file", path)."""
    if not spec:
        return ("local", processes) if processes > 1 else ("process", None)
    if spec == "local" or spec.startswith("local:"):
        count = spec.partition(":")[2]
        if not count:
            return "local", processes if processes > 1 else (os.cpu_count() or 1)
        if not count.isdigit() or int(count) < 1:
            raise ClusterError(f"--cluster {spec}: the number of workers must be a whole number ≥ 1 (local:2)")
        return "local", int(count)
    if "://" in spec:
        return "address", spec
    if spec.endswith(".json"):
        if not os.path.isfile(spec):
            raise ClusterError(f"--cluster {spec}: no such scheduler file")
        return "scheduler_file", spec
    raise ClusterError(f"--cluster {spec}: expected local, local:N, a scheduler address (tcp://host:8786) "
                       "or a scheduler file (.json)")


def make_runner(spec: str | None, processes: int, options: RunOptions):
    kind, value = parse_spec(spec, processes)
    if kind == "process":
        return InProcessRunner(options)
    return DaskRunner(kind, value, options)


def _all_failed(articles: list[Article], kind: str, message: str) -> list[Outcome]:
    return [Outcome(a.key, a.where, a.position, "failed", kind=kind, message=message) for a in articles]


class InProcessRunner:
    """Partitions one after another in this process."""

    description = "one process"
    workers = 1

    def __init__(self, options: RunOptions):
        self.options = options
        load_analyzer(options.model, options.max_text_chars)

    def map(self, partitions: Iterable[list[Article]]) -> Iterator[tuple[list[Article], list[Outcome]]]:
        for articles in partitions:
            try:
                yield articles, analyse_partition(articles, self.options)
            except Exception as error:  # noqa: BLE001 — reported per article, the run goes on
                yield articles, _all_failed(articles, "partition failed", f"partition failed: {error}")

    def close(self) -> None:
        pass


try:
    from distributed import WorkerPlugin as _WorkerPlugin
except ImportError:  # pragma: no cover — distributed is a dependency; this only keeps imports light
    _WorkerPlugin = object


class AnalyzerPlugin(_WorkerPlugin):
    """Loads the model on every worker as it starts (or joins, or is restarted), once."""

    name = "sourcelight-analyzer"

    def __init__(self, model: str, max_text_chars: int):
        self.model, self.max_text_chars = model, max_text_chars

    async def setup(self, worker):
        import asyncio
        # In a thread: the worker keeps answering the scheduler's heartbeats while the model loads.
        await asyncio.get_running_loop().run_in_executor(None, load_analyzer, self.model, self.max_text_chars)


def _worker_log_level() -> int:
    """Dask's own INFO chatter is shown with `sourcelight -v` only; its warnings (a worker
    restarted, a task retried) always."""
    return logging.INFO if log.isEnabledFor(logging.DEBUG) else logging.WARNING


class DaskRunner:
    def __init__(self, kind: str, value, options: RunOptions, connect_timeout: float = 30, workers_timeout: float = 120):
        from distributed import Client, LocalCluster

        logging.getLogger("distributed").setLevel(_worker_log_level())

        self.options = options
        self.cluster = None
        self.token = uuid.uuid4().hex[:8]
        try:
            if kind == "local":
                # The scheduler's HTTP server on a free port (8787 may be taken by another run).
                self.cluster = LocalCluster(n_workers=value, threads_per_worker=1, processes=True,
                                            dashboard_address=":0", silence_logs=_worker_log_level())
                self.client = Client(self.cluster)
                self.description = f"local:{value}"
            elif kind == "address":
                self.client = Client(value, timeout=connect_timeout)
                self.description = value
            else:
                self.client = Client(scheduler_file=value, timeout=connect_timeout)
                self.description = f"scheduler file {value}"
        except (OSError, TimeoutError) as err:
            self.close()
            raise ClusterError(f"cannot reach the Dask scheduler {value}: {err}") from None
        try:
            self.client.wait_for_workers(1, timeout=workers_timeout)
        except TimeoutError:
            self.close()
            raise ClusterError(f"the cluster {self.description} has no workers after {workers_timeout:.0f}s") from None
        try:  # every worker loads the model now; a worker's error is raised here
            self.client.register_plugin(AnalyzerPlugin(options.model, options.max_text_chars))
        except Exception as err:  # noqa: BLE001 — e.g. StartupError from a worker without the model
            self.close()
            raise ClusterError(f"a worker could not load the model {options.model}: {err}") from None
        self.workers = len(self.client.scheduler_info(n_workers=-1)["workers"])

    def _in_flight_limit(self) -> int:
        threads = sum(self.client.nthreads().values()) or 1
        return 2 * threads + 2

    def map(self, partitions: Iterable[list[Article]]) -> Iterator[tuple[list[Article], list[Outcome]]]:
        from distributed import as_completed

        source = iter(partitions)
        pending = as_completed()
        inputs: dict[str, tuple[list[Article], bool]] = {}
        count = 0

        def submit(articles: list[Article], alone: bool = False) -> None:
            nonlocal count
            count += 1
            future = self.client.submit(analyse_partition, articles, self.options, pure=False,
                                        key=f"sourcelight-{self.token}-{count}")
            inputs[future.key] = (articles, alone)
            pending.add(future)

        def refill() -> None:
            limit = self._in_flight_limit()
            while len(inputs) < limit:
                articles = next(source, None)
                if articles is None:
                    return
                submit(articles)

        refill()
        for future in pending:
            articles, alone = inputs.pop(future.key)
            try:
                outcomes = future.result()
            except (Exception, CancelledError) as error:  # noqa: BLE001 — the task raised, its workers kept dying, or the scheduler went
                from distributed import KilledWorker
                if isinstance(error, KilledWorker) and not alone and len(articles) > 1:
                    log.warning("partition of %d articles (%s …) killed its workers; trying each alone",
                                len(articles), articles[0].where)
                    for article in articles:
                        submit([article], alone=True)
                    continue
                reason = "worker lost" if isinstance(error, KilledWorker) else "partition failed"
                outcomes = _all_failed(articles, reason, f"{reason}: {type(error).__name__}: {error}")
            finally:
                future.release()
            yield articles, outcomes
            refill()

    def close(self) -> None:
        client, cluster = getattr(self, "client", None), self.cluster
        if client is not None:
            client.close()
        if cluster is not None:
            cluster.close()
