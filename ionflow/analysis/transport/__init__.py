"""Transport: MSD (self and collective), D, Haven ratio, σ and Arrhenius fits (paper 1 Eqs. 11-16).

Public API: `analyse_runs`, `TransportResult`, `fit_arrhenius`. Paper 2's tracer σ and its
per-phase Arrhenius fit: `ionflow.analysis.transport.tracer`.
"""

from ionflow.analysis.transport.arrhenius import fit_arrhenius
from ionflow.analysis.transport.runs import TransportResult, analyse_runs

__all__ = ["TransportResult", "analyse_runs", "fit_arrhenius"]
