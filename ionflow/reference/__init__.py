"""Reference calculators: the engines that label frames with energies, forces and stresses.

``make_calculator(config["reference"])`` returns an ASE calculator for the backend named in
config. The papers used VASP (PBE + D3(BJ)); here the NEP89 foundation model is the stand-in.
"""

from ionflow.reference.factory import BACKENDS, make_calculator

__all__ = ["BACKENDS", "make_calculator"]
