"""Interlayer glide of a layered crystal over a trajectory (paper 2, Fig. S5: at 300 K
β-Li2ZrCl6 turns pseudo-layered by an interlayer glide of ≈ 2.2 Å).

The layers are the planes of one sublattice (Zr by default: each ZrCl6 sheet moves with its
Zr plane) along the stacking normal (``layers``). The glide of a layer pair is the change of
the in-plane vector between the centres of mass of the upper and the lower layer since the
first frame: a drift of the whole crystal cancels and so does the thermal motion of single
atoms, averaged over a plane. In β the ccp Cl stacking turns hcp-like when every ZrCl6 sheet
glides by about one Cl–Cl spacing / √3 over its neighbour, while the monoclinic cell
shears by the same amount per layer; the pair across the cell boundary (top layer and the
periodic image of the bottom one) is included, so that this shear of the cell counts.
"""

from collections.abc import Iterable, Sequence
from typing import NamedTuple

import numpy as np
from ase import Atoms

from ionflow.analysis.interface.layers import (
    find_layers,
    interplanar_spacing,
    nearest_image_fraction,
    stacking_normal,
)


class Glide(NamedTuple):
    """Interlayer glide per frame.

    time_ps: (n_frames,) ``info['time_ps']`` of each frame (ps).
    layer_height_A: (n_layers,) height of each layer along the normal in the first frame (Å).
    shift_A: (n_frames, n_layers, 3) in-plane shift (Å, Cartesian) of layer k + 1 over layer k
        since the first frame; the last pair is the bottom layer's periodic image over the top layer.
    mean_shift_A: (n_frames,) mean over layer pairs of |shift| (Å).
    """

    time_ps: np.ndarray
    layer_height_A: np.ndarray
    shift_A: np.ndarray
    mean_shift_A: np.ndarray


def interlayer_glide(
    frames: Iterable[Atoms], species: Sequence[str] = ("Zr",), stacking_axis: int = 2, min_gap_A: float = 1.0
) -> Glide:
    """In-plane glide of every pair of adjacent ``species`` layers, frame by frame.

    Layers come from the first frame (``layers.find_layers``). Positions are unwrapped in
    fractional coordinates (each step between consecutive frames taken as its minimum image)
    and mapped back with the frame's cell, so NPT cell changes move periodic images with the
    cell. Layer centres are mass-weighted. The normal is the unit reciprocal vector of cell
    vector ``stacking_axis`` (default c*), recomputed per frame; shifts are projected onto
    the plane perpendicular to it.
    """
    times, shifts, layers = [], [], None
    previous = None
    for atoms in frames:
        if "time_ps" not in atoms.info:
            raise ValueError("a frame has no info['time_ps']; pass MD frames written by ionflow (extxyz dump)")
        fraction = atoms.get_scaled_positions(wrap=False)
        if layers is None:
            layers = find_layers(atoms, species, stacking_axis, min_gap_A)
            masses = atoms.get_masses()
            # Put every member in the periodic image of its layer's centre, the layers bottom to top.
            unwrapped = fraction.copy()
            for members, centre in zip(layers.members, layers.centre_fraction):
                offset = nearest_image_fraction(fraction[members, stacking_axis] - centre)
                unwrapped[members, stacking_axis] = centre + offset
            heights = layers.centre_fraction * interplanar_spacing(atoms.cell, stacking_axis)
        else:
            unwrapped += nearest_image_fraction(fraction - previous)
        previous = fraction
        cell = np.asarray(atoms.cell)
        cartesian = unwrapped @ cell
        centres = np.array([np.average(cartesian[m], axis=0, weights=masses[m]) for m in layers.members])
        above = np.vstack([centres[1:], centres[:1] + cell[stacking_axis]])
        separation = above - centres
        if not shifts:
            first_separation = separation
        change = separation - first_separation
        normal = stacking_normal(cell, stacking_axis)
        shifts.append(change - np.outer(change @ normal, normal))
        times.append(float(atoms.info["time_ps"]))
    if layers is None:
        raise ValueError("interlayer_glide got no frames; check the trajectory path and frame selection")
    shift = np.array(shifts)
    return Glide(np.array(times), heights, shift, np.linalg.norm(shift, axis=2).mean(axis=1))
