"""`ionflow` command line. Each subcommand registers itself through an `_add_*` function
listed in SUBCOMMANDS; add new ones there."""

import argparse
import json
import math
import sys
from pathlib import Path

from ionflow.trajectory.frame import TrajectoryError
from ionflow.trajectory.readers import FORMATS


class _Progress:
    """Prints '<file>: 40% (2000 frames)' to stderr at each further 10% of a file read."""

    def __init__(self):
        self.path, self.next_mark = None, 0.1

    def __call__(self, path: str, frames: int, fraction: float | None) -> None:
        if path != self.path:
            self.path, self.next_mark = path, 0.1
        if fraction is None:
            return
        if fraction >= self.next_mark - 1e-9:
            print(f"{path}: {int(fraction * 100 + 1e-6)}% ({frames} frames)", file=sys.stderr, flush=True)
            self.next_mark = (int(fraction * 10 + 1e-6) + 1) / 10


def _write_json(data: dict, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data, indent=2) + "\n")


def _run_transport(args) -> None:
    from ionflow.analysis.transport.runs import analyse_runs

    result = analyse_runs(
        args.trajectories,
        species=args.species,
        temperature_K=args.temperature,
        dt_ps=args.dt_ps,
        charge=args.charge,
        n_segments=args.segments,
        fit_window_ps=args.fit_window_ps,
        fmt=args.format,
        type_map=args.type_map,
        max_frames=args.max_frames,
        progress=None if args.quiet else _Progress(),
    )
    summary = result.to_json()
    _write_json(summary, args.json)
    print(
        f"{args.species} at {args.temperature:g} K: D_self {summary['D_self_cm2_s']:.3e} cm2/s, "
        f"D_collective {summary['D_collective_cm2_s']:.3e} cm2/s, H_R {summary['haven_ratio']:.3f}, "
        f"sigma {summary['sigma_S_cm']:.3e} S/cm, window {summary['fit_window_ps']} ps -> {args.json}"
    )


def _add_transport(subparsers) -> None:
    parser = subparsers.add_parser(
        "transport",
        help="self/collective MSD, D, Haven ratio and conductivity from trajectories",
        description="Several TRAJ files are independent runs at one temperature, averaged.",
    )
    parser.add_argument("trajectories", nargs="+", metavar="TRAJ")
    parser.add_argument("--species", default="Li", help="mobile element (default Li)")
    parser.add_argument("--temperature", type=float, required=True, help="temperature, K")
    parser.add_argument("--dt-ps", type=float, required=True, help="time between stored frames, ps")
    parser.add_argument("--charge", type=int, default=1, help="ion charge Z (default 1)")
    parser.add_argument("--segments", type=int, default=1, help="equal segments per run (default 1)")
    parser.add_argument(
        "--fit-window-ps",
        type=float,
        nargs=2,
        metavar=("T0", "T1"),
        help="fit window, ps (default: detected where d log MSD / d log t = 1)",
    )
    parser.add_argument("--format", default="auto", choices=("auto", *FORMATS))
    parser.add_argument(
        "--type-map",
        nargs="+",
        metavar="ELEMENT",
        help="elements of LAMMPS types 1, 2, ... (dumps without an element column)",
    )
    parser.add_argument("--max-frames", type=int, help="read at most this many frames per run")
    parser.add_argument("--quiet", action="store_true", help="no progress on stderr")
    parser.add_argument("--json", type=Path, required=True, help="output JSON")
    parser.set_defaults(run=_run_transport)


def _run_arrhenius(args) -> None:
    from ionflow.analysis.transport.arrhenius import supported_arrhenius

    results = [json.loads(Path(path).read_text()) for path in args.results]
    for path, result in zip(args.results, results):
        missing = {"temperature_K", "sigma_S_cm"} - set(result)
        if missing:
            raise ValueError(f"{path}: no {sorted(missing)}; pass JSON files written by `ionflow transport`")
    temperatures = [result["temperature_K"] for result in results]
    sigmas = [result["sigma_S_cm"] for result in results]
    errors = [result.get("sigma_S_cm_sem") for result in results]
    diffusive = [result.get("diffusive", True) for result in results]
    fit = supported_arrhenius(temperatures, sigmas, errors, diffusive)
    weighted = all(error is not None and error > 0 for error in errors)
    fit.update(
        temperature_K=temperatures,
        sigma_S_cm=sigmas,
        sigma_S_cm_sem=errors,
        diffusive=diffusive,
        weighted=weighted,
        inputs=[str(path) for path in args.results],
    )
    _write_json(fit, args.json)
    if math.isnan(fit["E_a_eV"]):  # the data do not support a fit
        print(f"no Arrhenius fit: {fit['note']} -> {args.json}")
        return
    left_out = f" ({fit['note']})" if fit["note"] else ""
    print(
        f"E_a {fit['E_a_eV']:.3f} ± {fit['E_a_eV_std']:.3f} eV, "
        f"sigma(300 K) {fit['sigma_300K_S_cm']:.3e} S/cm{left_out} -> {args.json}"
    )


def _add_arrhenius(subparsers) -> None:
    parser = subparsers.add_parser("arrhenius", help="fit ln sigma vs 1/T over `ionflow transport` JSON results")
    parser.add_argument("results", nargs="+", type=Path, metavar="RESULT_JSON")
    parser.add_argument("--json", type=Path, required=True, help="output JSON")
    parser.set_defaults(run=_run_arrhenius)


SUBCOMMANDS = (_add_transport, _add_arrhenius)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="ionflow", description="ionflow: solid-electrolyte workflow tools")
    subparsers = parser.add_subparsers(dest="command", required=True)
    for add in SUBCOMMANDS:
        add(subparsers)
    return parser


def main(argv=None) -> int:
    """Run the command line; returns the exit status (0 ok, 1 on a data or file error)."""
    args = build_parser().parse_args(argv)
    try:
        args.run(args)
    except (TrajectoryError, ValueError, OSError) as exc:
        print(f"ionflow {args.command}: error: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
