"""Study A single-phase analyses of one production trajectory (paper 1, Figs. 7–11, Table 3).

Each function streams the trajectory (``ionflow.trajectory.iter_frames``) once per analysis and
returns plain arrays and numbers; the figures and tables are drawn from what it returns.
Units: Å, ps, eV, K; densities in Å⁻³.
"""

from __future__ import annotations

from itertools import islice

import numpy as np
from ase import Atoms

from ionflow.analysis.statistics import accumulate_blocks, standard_error
from ionflow.analysis.structure.density import FoldedDensity, layer_site_pairs, site_voxel, supercell_sites
from ionflow.analysis.structure.pmf import (
    free_energy_barrier,
    map_barrier,
    path_barrier,
    pmf_slice,
    potential_of_mean_force,
)
from ionflow.analysis.structure.rdf import PartialRdfs, first_peak_position
from ionflow.analysis.structure.residence import (
    jump_length_angstrom,
    neighbour_occupancy_keys,
    occupancy_autocorrelation_blocks,
    residence_time,
    site_occupancy_keys,
)
from ionflow.analysis.structure.van_hove import nearest_neighbour_distance_map, self_van_hove
from ionflow.analysis.structure.xrd import mean_xrd_pattern, xrd_pattern
from ionflow.trajectory.readers import iter_frames

TWO_THETA_DEG = np.arange(10.0, 60.0, 0.02)
PMF_MAPS = {"xy, z = 0": ("xy", 0.0), "xy, z = 0.5": ("xy", 0.5), "xz, y = 0": ("xz", 0.0)}


def _frames(trajectory: str, stride: int = 1, limit: int | None = None):
    return islice(iter_frames(trajectory, fmt="lammps-dump"), 0, limit, stride)


def li_dynamics(
    trajectory: str,
    unit_cell: Atoms,
    replication: list[int],
    frame_interval_ps: float,
    settings: dict,
    D_self_cm2_s: float,
    mobile: str = "Li",
    D_self_cm2_s_se: float = float("nan"),
    block_frames: int | None = None,
) -> tuple[dict, dict]:
    """Self van Hove (Fig. 8a), nearest-Li distance map (Fig. 8b), residence times (Table 3) of
    the ``mobile`` ions (Li; column names keep the paper's "li").

    Li sites are the Li positions of the relaxed starting cell replicated to the supercell
    (the ideal structure, not the time-averaged density). Residence times use Eq. 19
    (T = 2∫c dτ) and the plain integral; the jump length (Eq. 20) uses the Eq. 19 value.
    Each time's standard error (``_se``) is that of its values over blocks of ``block_frames``
    consecutive frames (the transport's segments; NaN with fewer than two blocks); the jump
    length's follows from it and ``D_self_cm2_s_se`` by first-order propagation.
    Returns (arrays for figures, numbers for Table 3).
    """
    lags = settings["van_hove_lags_ps"]
    r, g_self = self_van_hove(_frames(trajectory), lags, frame_interval_ps, species=mobile)
    r_nn, nn_map = nearest_neighbour_distance_map(_frames(trajectory), species=mobile)
    first = next(iter_frames(trajectory, fmt="lammps-dump"))
    li_unit = unit_cell.get_scaled_positions()[unit_cell.symbols == mobile]
    sites = supercell_sites(li_unit, np.asarray(first.cell), replication)
    max_lag = settings["residence_max_lag_ps"]
    tau, c_site, site_blocks = occupancy_autocorrelation_blocks(
        site_occupancy_keys(_frames(trajectory), sites, settings["site_radius_A"], species=mobile),
        max_lag,
        frame_interval_ps,
        block_frames,
    )
    _, c_adjacent, adjacent_blocks = occupancy_autocorrelation_blocks(
        neighbour_occupancy_keys(_frames(trajectory), settings["adjacent_li_cutoff_A"], species=mobile),
        max_lag,
        frame_interval_ps,
        block_frames,
    )
    numbers = {}
    for name, whole, blocks in (("site", c_site, site_blocks), ("adjacent_li", c_adjacent, adjacent_blocks)):
        for convention, suffix in (("eq19", ""), ("plain", "_plain")):
            numbers[f"tau_{name}{suffix}_ps"] = residence_time(tau, whole, convention)
            numbers[f"tau_{name}{suffix}_ps_se"] = standard_error([residence_time(tau, c, convention) for c in blocks])
    tau_site, tau_site_se = numbers["tau_site_ps"], numbers["tau_site_ps_se"]
    jump = jump_length_angstrom(D_self_cm2_s, tau_site)
    relative = np.hypot(np.float64(D_self_cm2_s_se) / D_self_cm2_s, tau_site_se / tau_site)
    numbers.update(
        jump_length_A=jump,
        jump_length_A_se=0.5 * jump * float(relative),
        D_self_cm2_s=D_self_cm2_s,
        D_self_cm2_s_se=D_self_cm2_s_se,
        sites=f"{mobile} sites of the relaxed starting cell",
        blocks=len(site_blocks),
    )
    arrays = {
        "r": r,
        "lag_times_ps": np.asarray(lags),
        "g_self": g_self,
        "r_nn": r_nn,
        "nn_map": nn_map,
        "nn_times_ps": np.arange(len(nn_map)) * frame_interval_ps,
        "tau_ps": tau,
        "c_site": c_site,
        "c_adjacent": c_adjacent,
    }
    return arrays, numbers


class _StructureSums:
    """The RDFs and the folded density of the frames given to ``add``."""

    def __init__(self, species, replication, grid_shape, mobile):
        self.rdfs = PartialRdfs(species)
        self.density = FoldedDensity(replication, grid_shape, mobile)

    def add(self, atoms: Atoms) -> None:
        self.rdfs.add(atoms)
        self.density.add(atoms)


def _structure_numbers(sums: _StructureSums, unit_cell: Atoms, temperature_K: float, settings: dict, mobile: str):
    """First RDF peaks (Å) and PMF barriers (eV) of one set of frames, with the arrays they come from."""
    r, rdfs = sums.rdfs.result()
    density, unit_vectors = sums.density.result()
    numbers = {f"first_peak_{pair}_A": first_peak_position(r, g) for pair, g in rdfs.items()}
    w_li = potential_of_mean_force(rdfs[f"{mobile}-{mobile}"], temperature_K)
    barrier, r_min, r_max = free_energy_barrier(r, w_li)
    numbers.update(pmf_LiLi_barrier_eV=barrier, pmf_LiLi_r_min_A=r_min, pmf_LiLi_r_max_A=r_max)
    arrays = {
        "r": r,
        "density": density,
        "unit_vectors": unit_vectors,
        "pmf_LiLi": w_li,
        **{f"rdf_{pair}": g for pair, g in rdfs.items()},
    }
    for index, (plane, centre) in enumerate(PMF_MAPS.values()):
        w_map = pmf_slice(density, unit_vectors, plane, centre, settings["pmf_slab_A"], temperature_K)
        arrays[f"pmf_map_{index}"] = w_map
        for axis, name in enumerate(plane):
            numbers[f"pmf_map_barrier_{plane}_{centre:g}_along_{name}_eV"] = map_barrier(w_map, axis)
    numbers.update(li_path_barriers(density, unit_vectors, unit_cell, temperature_K, settings["site_radius_A"], mobile))
    return numbers, arrays


def li_structure(
    trajectory: str,
    unit_cell: Atoms,
    replication: list[int],
    temperature_K: float,
    settings: dict,
    type_map: list[str] | None = None,
    mobile: str = "Li",
    block_frames: int | None = None,
) -> tuple[dict, dict]:
    """Partial RDFs (Fig. 10b), folded Li density (Fig. 9), PMF (Fig. 11, Eqs. 25–26), XRD (Fig. 10a).

    Returns (arrays, numbers): first-peak positions per pair, the 1D Li–Li PMF barrier, the
    percolation barriers of each 2D PMF map along its two in-plane directions, and the barriers
    of the named Li–Li paths (edge, intermediate, interlayer) on the 3D PMF of the folded density.
    Every number but a path's length carries a standard error (``_se``): that of its values in
    blocks of ``block_frames`` consecutive frames of the trajectory (before the stride; the
    transport's segments), NaN with fewer than two blocks or where a block never crossed a
    barrier. A peak's error is at least the bin width / √12: blocks whose peaks fall in one bin
    do not know it better than that. RDFs and density come from one pass over the trajectory.
    The arrays carry the relaxed cell's atoms (atomic numbers, fractional coordinates) for Fig. 9.
    RDF pairs: the elements of ``unit_cell`` in ``type_map`` order (default: the cell's order).
    Density, PMF and paths are those of the ``mobile`` ions (column names keep the paper's "Li").
    """
    stride = settings["frame_stride"]
    present = set(unit_cell.get_chemical_symbols())
    species = [s for s in type_map if s in present] if type_map else None
    whole, blocks = accumulate_blocks(
        _frames(trajectory, stride),
        lambda: _StructureSums(species, replication, settings["density_grid"], mobile),
        block_frames // stride if block_frames else None,
    )
    values, arrays = _structure_numbers(whole, unit_cell, temperature_K, settings, mobile)
    in_blocks = [_structure_numbers(block, unit_cell, temperature_K, settings, mobile)[0] for block in blocks]
    binning = float(arrays["r"][1] - arrays["r"][0]) / 12.0**0.5  # rounding error of a position read off a bin
    numbers = {}
    for key, value in values.items():
        numbers[key] = value
        if key.startswith("pmf_path_") and key.endswith("_d_A"):
            continue  # a distance between sites of the relaxed cell, not a measurement
        error = standard_error([block[key] for block in in_blocks])
        numbers[f"{key}_se"] = max(error, binning) if key.startswith("first_peak_") and np.isfinite(error) else error
    arrays.update(crystal_numbers=unit_cell.numbers, crystal_fractional=unit_cell.get_scaled_positions())
    xrd_stride = max(1, settings["frame_stride"])
    arrays["two_theta_deg"] = TWO_THETA_DEG
    arrays["xrd_md"] = mean_xrd_pattern(
        _frames(trajectory, xrd_stride, settings["xrd_frames"] * xrd_stride), TWO_THETA_DEG
    )
    arrays["xrd_start"] = xrd_pattern(unit_cell, TWO_THETA_DEG)
    return arrays, numbers


def li_path_barriers(
    density: np.ndarray,
    unit_vectors: np.ndarray,
    unit_cell: Atoms,
    temperature_K: float,
    site_radius_A: float,
    mobile: str = "Li",
) -> dict:
    """PMF barriers (eV) and lengths (Å) of the named Li–Li paths between Li sites of the relaxed cell.

    Pairs from ``density.layer_site_pairs`` (c = stacking axis); each site stands for the densest
    voxel within ``site_radius_A`` of it, and the barrier is the lowest saddle between the two on
    W = −k_B T ln(ρ/ρ̄) of the whole folded 3D density (``pmf.path_barrier``; +inf if never crossed).
    """
    W = potential_of_mean_force(density / density.mean(), temperature_K)
    li = unit_cell.get_scaled_positions()[unit_cell.symbols == mobile]
    numbers = {}
    for name, (start, end, distance) in layer_site_pairs(li, np.asarray(unit_cell.cell)).items():
        ends = [site_voxel(density, unit_vectors, site, site_radius_A) for site in (start, end)]
        numbers[f"pmf_path_{name}_eV"] = path_barrier(W, *ends)
        numbers[f"pmf_path_{name}_d_A"] = distance
    return numbers


def li_track(trajectory: str, index: int = 0, mobile: str = "Li") -> tuple[np.ndarray, np.ndarray]:
    """Unwrapped positions (n_frames, 3) of the ``index``-th ``mobile`` ion and the first frame's cell (Fig. 7)."""
    positions, cell = [], None
    for frame in iter_frames(trajectory, fmt="lammps-dump"):
        positions.append(frame.positions[np.flatnonzero(frame.symbols == mobile)[index]])
        cell = np.asarray(frame.cell) if cell is None else cell
    return np.asarray(positions), cell
