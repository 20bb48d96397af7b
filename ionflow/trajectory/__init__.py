"""Stage 5, trajectories: streaming readers (LAMMPS dumps, extxyz, GPUMD), unwrapping, frame cache.

Public API: `iter_frames`, `read_species_trajectory`, `TrajectoryError`.
"""

from ionflow.trajectory.frame import TrajectoryError
from ionflow.trajectory.readers import iter_frames
from ionflow.trajectory.species import read_species_trajectory

__all__ = ["TrajectoryError", "iter_frames", "read_species_trajectory"]
