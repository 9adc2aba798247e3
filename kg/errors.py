"""One error hierarchy. The CLI prints ``str(error)`` on one line and exits with ``error.exit_code``."""


class KgError(Exception):
    """Base of every error kg raises for a user's mistake or an environment problem."""

    code = "E000"
    exit_code = 2

    def __str__(self) -> str:
        return f"[{self.code}] {super().__str__()}"


class ConfigError(KgError):
    """A setting is missing or invalid."""

    code = "E001"


class InputError(KgError):
    """An input file or line cannot be read as an article."""

    code = "E010"


class FetchError(InputError):
    """An article URL cannot be fetched, or what it serves is not an HTML page with an article in it."""

    code = "E011"

    def __init__(self, url: str, reason: str):
        super().__init__(f"{url}: {reason}")
        self.url, self.reason = url, reason

    def __reduce__(self):
        return type(self), (self.url, self.reason)


class PrivateAddressError(FetchError):
    """An article URL, or a redirect, leads to a private, loopback or link-local address (the SSRF guard)."""

    code = "E012"


class ShardError(InputError):
    """A shard of article graphs (kg load, kg build --engine dask) cannot be read, or holds something other
    than kg article graphs."""

    code = "E013"


class ModelNotFoundError(KgError):
    """The configured spaCy pipeline is not installed."""

    code = "E020"


class StoreError(KgError):
    """The store cannot be opened, read or written."""

    code = "E030"


class StoreLockedError(StoreError):
    """Another process holds the on-disk store."""

    code = "E031"


class QueryError(KgError):
    """A saved query is unknown, or its parameters are missing or wrong."""

    code = "E040"


class ExportError(KgError):
    """An export format or destination is not usable."""

    code = "E050"


class OutputError(KgError):
    """Standard output or an output file cannot be written whole (a full disk, a device error)."""

    code = "E051"


class ValidationError(KgError):
    """SHACL validation could not run."""

    code = "E060"


class EvalError(KgError):
    """A gold file for evaluation is unusable."""

    code = "E070"


class WikidataError(KgError):
    """Wikidata (the query service or the API) cannot be reached, refuses a request or answers nonsense."""

    code = "E080"


class WorkerError(KgError):
    """A process extracting articles for a build stopped unexpectedly."""

    code = "E090"


class ClusterError(KgError):
    """The Dask cluster of ``kg build --engine dask`` is missing or unreachable, or a partition failed on it."""

    code = "E091"
