"""Transport analysis: MSD (self and collective), D, Haven ratio, σ and Arrhenius fits.

Public API: `analyse_runs`, `TransportResult`, `fit_arrhenius`, `iter_frames`,
`read_species_trajectory`, `TrajectoryError`. Paper 2's tracer σ and its per-phase Arrhenius fit:
`ionflow.transport.tracer`.
"""

from ionflow.transport.arrhenius import fit_arrhenius
from ionflow.transport.frame import TrajectoryError
from ionflow.transport.readers import iter_frames
from ionflow.transport.runs import TransportResult, analyse_runs
from ionflow.transport.trajectory import read_species_trajectory

__all__ = [
    "TrajectoryError",
    "TransportResult",
    "analyse_runs",
    "fit_arrhenius",
    "iter_frames",
    "read_species_trajectory",
]
