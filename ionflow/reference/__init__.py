"""Stage 2, reference calculations: the engines that label frames with energies, forces and stresses.

``make_calculator(config["reference"])`` returns an ASE calculator for the backend named in
config: VASP (the papers' engine, on clusters), CP2K and GFN1-xTB (real electronic structure
here), and the foundation models NEP89, CHGNet and MACE as stand-ins. An engine that gives no
trustworthy result for a frame raises :class:`ReferenceFailure`; ``label_frames`` records it.
"""

from ionflow.reference.errors import ReferenceFailure
from ionflow.reference.factory import BACKENDS, check_available, make_calculator

__all__ = ["BACKENDS", "ReferenceFailure", "check_available", "make_calculator"]
