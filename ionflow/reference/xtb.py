"""GFN-xTB through tblite (Γ point, periodic): a cheap quantum-mechanical reference."""

from __future__ import annotations

from ase.calculators.calculator import CalculationFailed

from ionflow.reference.errors import ReferenceFailure

METHODS = {"gfn1": "GFN1-xTB", "gfn2": "GFN2-xTB"}


def xtb_calculator(
    method: str = "gfn1", max_scf: int = 250, accuracy: float = 1.0, electronic_temperature_K: float = 300.0
):
    """tblite ASE calculator whose SCF failures raise :class:`ReferenceFailure`.

    GFN2-xTB often does not converge on rattled or hot cells; like every engine failure, that
    becomes a recorded failure of the frame, not a crash of the run.
    """
    if method not in METHODS:
        raise ValueError(f"xtb backend: unknown method {method!r}; use one of {', '.join(METHODS)}")
    from tblite.ase import TBLite

    class CheckedTBLite(TBLite):
        def calculate(self, *args, **kwargs):
            try:
                super().calculate(*args, **kwargs)
            except CalculationFailed as err:
                raise ReferenceFailure(f"xtb ({METHODS[method]}): {err}".strip()) from err

    return CheckedTBLite(
        method=METHODS[method],
        max_iterations=max_scf,
        accuracy=accuracy,
        electronic_temperature=electronic_temperature_K,
        verbosity=0,
    )
