"""The one exception a reference engine raises for a frame it could not label."""


class ReferenceFailure(RuntimeError):
    """A single point gave no trustworthy result (SCF not converged, engine crashed, timeout).

    The labelling loop records the message in the failures table and moves to the next frame.
    """
