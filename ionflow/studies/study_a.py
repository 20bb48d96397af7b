"""Study A single-phase analyses of one production trajectory (paper 1, Figs. 7–11, Table 3).

Each function streams the trajectory (``ionflow.trajectory.iter_frames``) once per analysis and
returns plain arrays and numbers; the figures and tables are drawn from what it returns.
Units: Å, ps, eV, K; densities in Å⁻³.
"""

from __future__ import annotations

from itertools import islice

import numpy as np
from ase import Atoms

from ionflow.analysis.structure.density import folded_density, layer_site_pairs, site_voxel, supercell_sites
from ionflow.analysis.structure.pmf import (
    free_energy_barrier,
    map_barrier,
    path_barrier,
    pmf_slice,
    potential_of_mean_force,
)
from ionflow.analysis.structure.rdf import first_peak_position, partial_rdfs
from ionflow.analysis.structure.residence import (
    jump_length_angstrom,
    neighbour_occupancy_keys,
    occupancy_autocorrelation,
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
) -> tuple[dict, dict]:
    """Self van Hove (Fig. 8a), nearest-Li distance map (Fig. 8b), residence times (Table 3) of
    the ``mobile`` ions (Li; column names keep the paper's "li").

    Li sites are the Li positions of the relaxed starting cell replicated to the supercell
    (the ideal structure, not the time-averaged density). Residence times use Eq. 19
    (T = 2∫c dτ) and the plain integral; the jump length (Eq. 20) uses the Eq. 19 value.
    Returns (arrays for figures, numbers for Table 3).
    """
    lags = settings["van_hove_lags_ps"]
    r, g_self = self_van_hove(_frames(trajectory), lags, frame_interval_ps, species=mobile)
    r_nn, nn_map = nearest_neighbour_distance_map(_frames(trajectory), species=mobile)
    first = next(iter_frames(trajectory, fmt="lammps-dump"))
    li_unit = unit_cell.get_scaled_positions()[unit_cell.symbols == mobile]
    sites = supercell_sites(li_unit, np.asarray(first.cell), replication)
    max_lag = settings["residence_max_lag_ps"]
    tau, c_site = occupancy_autocorrelation(
        site_occupancy_keys(_frames(trajectory), sites, settings["site_radius_A"], species=mobile),
        max_lag,
        frame_interval_ps,
    )
    _, c_adjacent = occupancy_autocorrelation(
        neighbour_occupancy_keys(_frames(trajectory), settings["adjacent_li_cutoff_A"], species=mobile),
        max_lag,
        frame_interval_ps,
    )
    tau_site = residence_time(tau, c_site, "eq19")
    numbers = {
        "tau_site_ps": tau_site,
        "tau_adjacent_li_ps": residence_time(tau, c_adjacent, "eq19"),
        "tau_site_plain_ps": residence_time(tau, c_site, "plain"),
        "tau_adjacent_li_plain_ps": residence_time(tau, c_adjacent, "plain"),
        "jump_length_A": jump_length_angstrom(D_self_cm2_s, tau_site),
        "D_self_cm2_s": D_self_cm2_s,
        "sites": f"{mobile} sites of the relaxed starting cell",
    }
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


def li_structure(
    trajectory: str,
    unit_cell: Atoms,
    replication: list[int],
    temperature_K: float,
    settings: dict,
    type_map: list[str] | None = None,
    mobile: str = "Li",
) -> tuple[dict, dict]:
    """Partial RDFs (Fig. 10b), folded Li density (Fig. 9), PMF (Fig. 11, Eqs. 25–26), XRD (Fig. 10a).

    Returns (arrays, numbers): first-peak positions per pair, the 1D Li–Li PMF barrier, the
    percolation barriers of each 2D PMF map along its two in-plane directions, and the barriers
    of the named Li–Li paths (edge, intermediate, interlayer) on the 3D PMF of the folded density.
    The arrays carry the relaxed cell's atoms (atomic numbers, fractional coordinates) for Fig. 9.
    RDF pairs: the elements of ``unit_cell`` in ``type_map`` order (default: the cell's order).
    Density, PMF and paths are those of the ``mobile`` ions (column names keep the paper's "Li").
    """
    stride = settings["frame_stride"]
    present = set(unit_cell.get_chemical_symbols())
    species = [s for s in type_map if s in present] if type_map else None
    r, rdfs = partial_rdfs(_frames(trajectory, stride), species)
    density, unit_vectors = folded_density(
        _frames(trajectory, stride), replication, settings["density_grid"], species=mobile
    )
    w_li = potential_of_mean_force(rdfs[f"{mobile}-{mobile}"], temperature_K)
    barrier, r_min, r_max = free_energy_barrier(r, w_li)
    numbers = {f"first_peak_{pair}_A": first_peak_position(r, g) for pair, g in rdfs.items()}
    numbers.update(pmf_LiLi_barrier_eV=barrier, pmf_LiLi_r_min_A=r_min, pmf_LiLi_r_max_A=r_max)
    arrays = {
        "r": r,
        "density": density,
        "unit_vectors": unit_vectors,
        "pmf_LiLi": w_li,
        **{f"rdf_{pair}": g for pair, g in rdfs.items()},
    }
    for index, (title, (plane, centre)) in enumerate(PMF_MAPS.items()):
        w_map = pmf_slice(density, unit_vectors, plane, centre, settings["pmf_slab_A"], temperature_K)
        arrays[f"pmf_map_{index}"] = w_map
        for axis, name in enumerate(plane):
            numbers[f"pmf_map_barrier_{plane}_{centre:g}_along_{name}_eV"] = map_barrier(w_map, axis)
    numbers.update(li_path_barriers(density, unit_vectors, unit_cell, temperature_K, settings["site_radius_A"], mobile))
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
