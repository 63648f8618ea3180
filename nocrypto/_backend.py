"""The one door between nocrypto and its kernels: native C or pure-Python twins.

The backend is chosen once, when this module is first imported, from the
environment variable ``NOCRYPTO_BACKEND``:

- ``python``: the pure-Python twins in ``nocrypto._ref`` (slow; for machines
  without a C compiler, and to test the twins on their own);
- ``native``: the C extension ``nocrypto._native._nocrypto``; ``ImportError``
  if it is not built;
- unset (or empty): native if the extension imports, else the twins, with a
  single ``RuntimeWarning`` saying so.

Any other value is a ``ValueError``.  Both backends expose the same names with
the same signatures (STYLE.md, convention 6); the public modules of nocrypto
own argument validation and documentation and call only what is exported here.
"""

from __future__ import annotations

import os
import warnings
from typing import Final, Literal

__all__ = ["ENV_VAR", "FALLBACK_WARNING", "NAME", "ct_equal"]

#: The environment variable that selects the backend.
ENV_VAR: Final = "NOCRYPTO_BACKEND"

_ALLOWED: Final = ("native", "python")

#: The RuntimeWarning emitted (once) when the extension is missing and the
#: variable is unset.
FALLBACK_WARNING: Final = "nocrypto: C extension not built, using the pure-Python backend (slow)"


def _select() -> Literal["native", "python"]:
    """Read ``NOCRYPTO_BACKEND`` and decide; import the native module if needed."""
    requested = os.environ.get(ENV_VAR, "")
    if requested == "python":
        return "python"
    if requested not in ("", "native"):
        raise ValueError(
            f"{ENV_VAR} must be one of {', '.join(map(repr, _ALLOWED))} (or unset), "
            f"not {requested!r}"
        )
    try:
        import nocrypto._native._nocrypto  # noqa: F401 (probe that the extension loads)
    except ImportError as exc:
        if requested == "native":
            raise ImportError(
                f"{ENV_VAR}=native, but the C extension nocrypto._native._nocrypto cannot "
                f"be imported ({exc}); build it with `make venv` or `pip install -e .`, "
                f"or set {ENV_VAR}=python"
            ) from exc
        # Imported once per process, so this is emitted once per process.
        warnings.warn(FALLBACK_WARNING, RuntimeWarning, stacklevel=1)
        return "python"
    return "native"


#: The backend in use for the life of the process.
NAME: Final[Literal["native", "python"]] = _select()

if NAME == "native":
    from nocrypto._native.ct import ct_equal
else:
    from nocrypto._ref.ct import ct_equal
