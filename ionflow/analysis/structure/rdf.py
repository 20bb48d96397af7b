"""Partial radial distribution functions g_ab(r) (Eq. 24, Fig. 10b) averaged over frames."""

from collections.abc import Iterable, Sequence
from itertools import combinations_with_replacement
from pathlib import Path

import numpy as np
from ase import Atoms
from scipy.signal import find_peaks
from scipy.spatial import cKDTree

from ionflow.plotting import figure_style, panel_grid, save_figure
from ionflow.trajectory.frames import periodic_images

BIN_WIDTH_ANGSTROM = 0.032


def species_pairs(species: Iterable[str]) -> list[tuple[str, str]]:
    """Unordered species pairs, e.g. (Li, Zr, Cl) -> Li-Li, Li-Zr, Li-Cl, Zr-Zr, Zr-Cl, Cl-Cl."""
    return list(combinations_with_replacement(species, 2))


def rdf_pairs(species: Sequence[str], mobile: str) -> tuple[str, ...]:
    """The pairs worth a panel: every pair with the ``mobile`` element and every pair of two
    different framework elements, named as :func:`partial_rdfs` names them; e.g. (Li, Zr, Cl)
    with Li -> Li-Li, Li-Zr, Li-Cl, Zr-Cl."""
    return tuple(f"{a}-{b}" for a, b in species_pairs(species) if mobile in (a, b) or a != b)


class PartialRdfs:
    """Running frame average of the partial RDFs of :func:`partial_rdfs`: ``add`` one frame at a
    time, ``result`` at any point. Lets one pass over a trajectory feed the RDFs of the whole run
    and of each of its blocks."""

    def __init__(
        self, species: Sequence[str] | None = None, r_max: float = 10.0, bin_width: float = BIN_WIDTH_ANGSTROM
    ):
        self.species = tuple(species) if species else None
        self.bin_width = bin_width
        n_bins = int(round(r_max / bin_width))
        self.edges = np.arange(n_bins + 1) * bin_width
        self.shell_volumes = 4.0 / 3.0 * np.pi * np.diff(self.edges**3)
        self.pairs: list[tuple[str, str]] = []
        self.sums: dict[str, np.ndarray] = {}
        self.n_frames = 0

    def add(self, atoms: Atoms) -> None:
        if self.species is None:
            self.species = tuple(dict.fromkeys(atoms.get_chemical_symbols()))
        if not self.sums:
            self.pairs = species_pairs(self.species)
            self.sums = {f"{a}-{b}": np.zeros(len(self.shell_volumes)) for a, b in self.pairs}
        symbols = np.asarray(atoms.get_chemical_symbols())
        cell = np.asarray(atoms.cell)
        volume = abs(np.linalg.det(cell))
        centres, neighbours = {}, {}
        for name in self.species:
            wrapped, padded, _ = periodic_images(atoms.positions[symbols == name], cell, self.edges[-1])
            centres[name], neighbours[name] = cKDTree(wrapped), cKDTree(padded)
        for a, b in self.pairs:
            # bins (r_k, r_k+1]; element 0 holds d = 0, the self pairs of a = b
            counts = centres[a].count_neighbors(neighbours[b], self.edges, cumulative=False)[1:]
            n_a, n_b = centres[a].n, centres[b].n
            self.sums[f"{a}-{b}"] += counts / (n_a * n_b / volume * self.shell_volumes)
        self.n_frames += 1

    def result(self) -> tuple[np.ndarray, dict[str, np.ndarray]]:
        """Bin centres r (Å) and ``{"Li-Zr": g, ...}`` averaged over the frames added so far."""
        if self.n_frames == 0:
            raise ValueError("partial_rdfs got no frames; check the trajectory path and frame selection")
        r = self.edges[:-1] + 0.5 * self.bin_width
        return r, {name: total / self.n_frames for name, total in self.sums.items()}


def partial_rdfs(
    frames: Iterable[Atoms],
    species: Sequence[str] | None = None,
    r_max: float = 10.0,
    bin_width: float = BIN_WIDTH_ANGSTROM,
) -> tuple[np.ndarray, dict[str, np.ndarray]]:
    """Partial RDFs g_ab(r) for all pairs of ``species`` (default: the elements of the first
    frame in order of first appearance), averaged over ``frames`` (streamed).

    g_ab(r) = n_ab(r) / (N_a ρ_b V_shell(r)) with n_ab the number of (a centre, b neighbour)
    pairs in the shell (r, r + Δr], ρ_b = N_b / V and V_shell = 4π/3 ((r+Δr)³ − r³): the
    convention of LAMMPS ``compute rdf`` and ``ase.geometry.get_rdf``; for a = b an ideal
    gas gives (N_a − 1)/N_a. Distances run over all periodic images within ``r_max`` (Å),
    which equals the minimum-image convention when ``r_max`` is below half the smallest
    perpendicular cell width. Frames are normalised one by one, so NPT volumes are handled.

    Returns bin centres r (Å) and ``{"Li-Zr": g, ...}`` for every pair of ``species_pairs``.
    Pairs are counted per bin by k-d trees (``scipy.spatial.cKDTree.count_neighbors``)
    over periodic images, without a pair list; cost in docs/performance.md.
    """
    accumulator = PartialRdfs(species, r_max, bin_width)
    for atoms in frames:
        accumulator.add(atoms)
    return accumulator.result()


def first_peak_position(r: np.ndarray, g: np.ndarray, min_prominence: float = 0.5) -> float:
    """Position (Å) of the first maximum of g(r) with prominence ≥ ``min_prominence``.

    The prominence threshold skips noise spikes at the onset of the first shell.
    Returns NaN when no such peak exists.
    """
    peaks, _ = find_peaks(g, prominence=min_prominence)
    return float(r[peaks[0]]) if peaks.size else float("nan")


def plot_partial_rdfs(
    r: np.ndarray,
    rdfs_by_label: dict[str, dict[str, np.ndarray]],
    path: str | Path,
    pairs: tuple[str, ...] | None = None,
    cutoff_A: float | None = None,
) -> Path:
    """Fig. 10b (and Study B Fig. S7): one panel per species pair, one line per system (e.g. phase).

    ``rdfs_by_label`` maps a legend label (phase, temperature, AIMD/DLMD) to the output
    of ``partial_rdfs``; all must share the bins ``r`` (Å). ``pairs`` picks the panels
    (default: every pair of the first system; a pair missing from any system is left out);
    ``cutoff_A`` (Å), when given, is drawn as a dashed line (a coordination cutoff).
    """
    pair_names = [
        pair
        for pair in (pairs or next(iter(rdfs_by_label.values())))
        if all(pair in rdfs for rdfs in rdfs_by_label.values())
    ]
    with figure_style():
        fig, panels = _pair_panels(r, pair_names, "g(r)")
        for pair, ax in panels.items():
            for label, rdfs in rdfs_by_label.items():
                ax.plot(r, rdfs[pair], label=label)
            if cutoff_A is not None:
                ax.axvline(cutoff_A, color="k", linestyle="--", linewidth=0.8, label=f"cutoff {cutoff_A:g} Å")
        return _finish(fig, panels, path)


def rdf_mean_absolute_difference(r: np.ndarray, g_reference: np.ndarray, g_model: np.ndarray) -> float:
    """Mean |g_model − g_reference| over the bins r (Å) where either RDF is non-zero (Fig. S3 score).

    Bins inside the excluded core (both zero) would dilute the score, so they are skipped;
    0 means identical curves, ~1 means no overlap of the peaks.
    """
    occupied = (g_reference > 0) | (g_model > 0)
    if not occupied.any():
        raise ValueError("both RDFs are zero everywhere; check the species and r_max")
    return float(np.mean(np.abs(g_model - g_reference)[occupied]))


def plot_rdf_validation(
    r: np.ndarray,
    curves: dict[float, tuple[dict[str, np.ndarray], dict[str, np.ndarray]]],
    path: str | Path,
    pairs: tuple[str, ...] | None = None,
    offset: float = 3.0,
) -> Path:
    """Fig. S3: g(r) of the reference MD (dashed) and the Deep Potential MD (solid), one panel per pair.

    ``curves`` maps a temperature (K) to ``(reference_rdfs, model_rdfs)`` as returned by
    ``partial_rdfs``; each temperature is shifted up by ``offset`` so that both stay readable.
    ``pairs`` (None: every pair the RDFs hold, in their order) chooses and orders the panels.
    """
    if pairs is None:
        pairs = tuple(next(iter(curves.values()))[0])
    ylabel = f"g(r), shifted {offset:g} per T" if len(curves) > 1 else "g(r)"
    with figure_style():
        fig, panels = _pair_panels(r, pairs, ylabel)
        for pair, ax in panels.items():
            for k, (temperature, (reference, model)) in enumerate(sorted(curves.items())):
                shift = k * offset
                ax.plot(
                    r,
                    reference[pair] + shift,
                    color="0.2",
                    linestyle="--",
                    linewidth=1.0,
                    label="reference MD" if k == 0 else None,
                )
                ax.plot(r, model[pair] + shift, color=f"C{k}", label=f"DP-MD {temperature:g} K")
        return _finish(fig, panels, path)


def _pair_panels(r: np.ndarray, pairs, ylabel: str, n_cols: int = 3):
    """Figure with one labelled panel per species pair (3 per row, spare panels hidden)."""
    n_rows = -(-len(pairs) // n_cols)
    fig, axes = panel_grid(n_rows, n_cols)
    for ax in axes.flat[len(pairs) :]:
        ax.set_visible(False)
    panels = dict(zip(pairs, axes.flat))
    for pair, ax in panels.items():
        ax.set_title(pair.replace("-", "···"))
        ax.set_xlabel("r (Å)")
        ax.set_ylabel(ylabel)
        ax.set_xlim(r[0], r[-1])
    return fig, panels


def _finish(fig, panels: dict, path: str | Path) -> Path:
    next(iter(panels.values())).legend()
    fig.tight_layout()
    return save_figure(fig, path)
