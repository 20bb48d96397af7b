"""Interface figures are written atomically as 300 dpi PNGs from real analysis output."""

import numpy as np
from PIL import Image

from ionflow.analysis.interface.csm_reference import csm_reference_curves
from ionflow.analysis.interface.figures import (
    plot_coordination_vs_z,
    plot_csm_volume_maps,
    plot_density_vs_z_time,
    plot_displacement_classes,
    plot_hop_counts_vs_z,
)
from ionflow.analysis.interface.hops import hop_counts_vs_z
from ionflow.analysis.interface.polyhedra import li_polyhedra
from ionflow.analysis.interface.profiles import coordination_vs_z, number_density_vs_z_time
from ionflow.analysis.interface.slab import interface_positions
from ionflow.analysis.interface.structure_figures import plot_csm_reference
from tests.unit.test_interface_analysis import hop_trajectory, rock_salt_with_oxide_planes


def test_interface_figures_are_300_dpi_png(tmp_path):
    rng = np.random.default_rng(2)
    atoms = rock_salt_with_oxide_planes([0, 1, 2, 3])
    frames = []
    for _ in range(4):
        frame = atoms.copy()
        frame.positions += rng.normal(0.0, 0.15, frame.positions.shape)
        frames.append(frame)
    interfaces = interface_positions(atoms)
    z_A, counts = number_density_vs_z_time(frames)
    start, end = rng.normal(0.0, 3.0, (200, 3)), rng.normal(0.0, 3.0, (200, 3))
    paths = [
        plot_coordination_vs_z(coordination_vs_z(frames), tmp_path / "cn.png", interfaces),
        plot_density_vs_z_time(z_A, counts, 10.0, tmp_path / "density.png", interfaces),
        plot_hop_counts_vs_z(hop_counts_vs_z(hop_trajectory(True), dt_frames=2), 10.0, tmp_path / "hops.png"),
        plot_displacement_classes(start, end, tmp_path / "classes.png"),
        plot_csm_volume_maps(li_polyhedra(frames[:2]), tmp_path / "csm.png"),
        plot_csm_reference(csm_reference_curves(), tmp_path / "csm_reference.png", {"slab": li_polyhedra([atoms])}),
    ]
    for path in paths:
        with Image.open(path) as image:
            assert image.format == "PNG"
            assert np.allclose(image.info["dpi"], 300, atol=1)
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(p.name for p in paths)
