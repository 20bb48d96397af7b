"""What one MD trajectory says about Li motion and structure: self-diffusion per axis with its
standard error, whether the run is diffusive, how far the framework ions move, partial-RDF first
peaks and the closest pair.

Used on the teacher (reference-driven) and the student (learned-potential) runs of the same
cell, thermostat and length, so that the two can be compared number by number.
"""

from __future__ import annotations

from itertools import islice

import numpy as np
from scipy.spatial import cKDTree

from ionflow.analysis.structure.rdf import first_peak_position, partial_rdfs, rdf_mean_absolute_difference
from ionflow.analysis.transport.diffusion import A2_PER_PS_TO_CM2_PER_S, fit_window, msd_slope, ratio_with_error
from ionflow.analysis.transport.msd import msd_self
from ionflow.analysis.transport.runs import AXES
from ionflow.trajectory.frames import periodic_images
from ionflow.trajectory.readers import iter_frames
from ionflow.trajectory.species import read_species_trajectories

CONTACT_SEARCH_A = 3.0


def self_diffusion(positions: np.ndarray, dt_ps: float, window_ps=None, slope_tolerance: float = 0.15) -> dict:
    """Self-diffusion of one species from unwrapped positions (n_frames, n_ions, 3) in Å.

    D_α = slope(MSD_α)/2 per axis and D = mean over axes (cm²/s), fitted over ``window_ps``
    (detected where d log MSD / d log t = 1 ± ``slope_tolerance`` when None). Standard errors
    come from the spread of the per-ion slopes (ions taken as independent samples). When no
    diffusive window exists D is still fitted over 20–50 % of the run, ``diffusive`` is False
    and ``note`` says why. Returns time_ps, msd (n_t, 3) in Å² and the numbers.
    """
    n_t, n_ions, _ = positions.shape
    per_ion = np.stack([msd_self(positions[:, [i]]) for i in range(n_ions)])
    msd = per_ion.mean(axis=0)
    time_ps = np.arange(n_t) * dt_ps
    window_ps, slope, diffusive, note = fit_window(time_ps, msd.sum(1), window_ps, slope_tolerance)
    ion_d = msd_slope(time_ps, per_ion, window_ps) / 2.0 * A2_PER_PS_TO_CM2_PER_S  # (n_ions, 3)
    d_axes, d_axes_se = ion_d.mean(0), ion_d.std(0, ddof=1) / np.sqrt(n_ions)
    d_total = ion_d.mean(1)
    result = {
        "time_ps": time_ps,
        "msd": msd,
        "fit_window_ps": [float(t) for t in window_ps],
        "msd_log_slope": slope,
        "diffusive": diffusive,
        "note": note,
        "n_ions": int(n_ions),
        "D_cm2_s": float(d_total.mean()),
        "D_cm2_s_se": float(d_total.std(ddof=1) / np.sqrt(n_ions)),
    }
    for axis, value, error in zip(AXES, d_axes, d_axes_se):
        result[f"D_{axis}_cm2_s"], result[f"D_{axis}_cm2_s_se"] = float(value), float(error)
    result["D_z_over_D_x"], result["D_z_over_D_x_se"] = ratio_with_error(
        d_axes[2], d_axes_se[2], d_axes[0], d_axes_se[0]
    )
    return result


class ClosestPair:
    """Passes frames through while keeping the smallest interatomic distance (Å) seen in them
    (periodic in all three directions, triclinic cells too); ``search_A`` when no pair is closer
    than that. Lets one read of a trajectory feed both the RDFs and this check.

    Each frame's atoms are looked up among their periodic images within ``search_A`` with a
    k-d tree: 5-7× faster than ``ase.neighborlist.neighbor_list`` on 432-atom frames
    (docs/performance.md), same distances (tests)."""

    def __init__(self, search_A: float = CONTACT_SEARCH_A):
        self.search_A = self.closest_A = search_A

    def __call__(self, frames):
        for atoms in frames:
            wrapped, padded, _ = periodic_images(atoms.positions, np.asarray(atoms.cell), self.search_A)
            # the nearest padded point is the atom itself (distance 0); the second is its closest neighbour
            distances, _ = cKDTree(padded).query(wrapped, k=2, distance_upper_bound=self.search_A)
            self.closest_A = min(self.closest_A, float(distances[:, 1].min()))
            yield atoms


def framework_msd(positions: dict[str, np.ndarray], lag_ps: float, dt_ps: float) -> dict[str, float]:
    """MSD (Å², summed over axes, averaged over ions and time origins) of each element's unwrapped
    positions (``positions``: element → (n_frames, n_ions, 3), Å, frames ``dt_ps`` apart) at lag
    ``lag_ps`` (the last frame's lag when the run is shorter): how far the framework (Zr, Cl, …)
    moves while the mobile ions diffuse."""
    moved = {}
    for element, trajectory in positions.items():
        lag = min(len(trajectory) - 1, round(lag_ps / dt_ps))
        moved[element] = float(msd_self(trajectory)[lag].sum())
    return moved


def trajectory_summary(
    path,
    fmt: str,
    type_map,
    dt_ps: float,
    species: str = "Li",
    elements=None,
    r_max_A: float = 6.0,
    window_ps=None,
    slope_tolerance: float = 0.15,
) -> dict:
    """Self-diffusion of ``species`` (:func:`self_diffusion`), the MSD of every other element of
    ``elements`` at the end of the D fit window (``framework_msd_A2``, :func:`framework_msd`),
    partial RDFs with their first peaks (Å) and the closest pair (Å) of the trajectory at
    ``path`` (frames ``dt_ps`` ps apart).

    ``rdf_noise`` is, per pair, the mean |Δg| between the RDFs of the run's first and second
    halves: how much the run's own structure wanders, the floor of any comparison with it.
    """
    framework = [element for element in elements or () if element != species]
    runs = read_species_trajectories(path, (species, *framework), fmt, type_map)  # one read for every element
    trajectory = runs.pop(species)
    summary = self_diffusion(trajectory.positions, dt_ps, window_ps, slope_tolerance)
    framework_positions = {element: run.positions for element, run in runs.items()}
    summary["framework_msd_A2"] = framework_msd(framework_positions, summary["fit_window_ps"][1], dt_ps)
    half = len(trajectory.positions) // 2
    closest = ClosestPair()
    frames = closest(iter_frames(path, fmt, type_map))
    species = tuple(elements) if elements else None  # None: the elements of each half's first frame
    r, first = partial_rdfs(islice(frames, half), species, r_max=r_max_A)
    _, second = partial_rdfs(frames, species, r_max=r_max_A)
    n_second = len(trajectory.positions) - half
    rdfs = {pair: (half * first[pair] + n_second * second[pair]) / (half + n_second) for pair in first}
    summary.update(
        r_A=r,
        rdfs=rdfs,
        first_peaks_A={pair: first_peak_position(r, g) for pair, g in rdfs.items()},
        rdf_noise={pair: rdf_mean_absolute_difference(r, first[pair], second[pair]) for pair in first},
        closest_pair_A=closest.closest_A,
        n_frames=len(trajectory.positions),
    )
    return summary
