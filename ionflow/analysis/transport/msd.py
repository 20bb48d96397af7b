"""Self and collective mean squared displacements by FFT over all time origins.

For a series x(t), t = 0..T-1, MSD(m) = <[x(k+m) - x(k)]²>_k over the T - m origins k
equals S1(m) - 2 S2(m), with S2 the autocorrelation (one FFT of length ≥ 2T) and S1
from cumulative sums of x² (Calandrini et al., nMoldyn). Cost O(T log T) per series.
Power spectra are summed over ions before the inverse FFT, so the inverse is done once
per axis. Each ion is shifted by its first position first, which keeps the
cancellation S1 - 2 S2 accurate to ~1e-12 Å².
"""

import numpy as np
from scipy.fft import irfft, next_fast_len, rfft

_CHUNK_BYTES = 64 * 2**20


def _msd_from_sums(squares: np.ndarray, power: np.ndarray, n_fft: int) -> np.ndarray:
    """MSD per axis (T, 3) from Σ x² per frame (T, 3) and Σ |FFT(x)|² (n_fft//2 + 1, 3)."""
    n_t = len(squares)
    lags = np.arange(n_t)
    cumulative = np.vstack([np.zeros((1, 3)), np.cumsum(squares, axis=0)])
    # Σ_{k<T-m} x(k)² + Σ_{k≥m} x(k)²
    s1 = cumulative[n_t - lags] + (cumulative[n_t] - cumulative[lags])
    s2 = irfft(power, n=n_fft, axis=0)[:n_t]
    return (s1 - 2.0 * s2) / (n_t - lags)[:, None]


def _accumulate(displacements: np.ndarray, n_fft: int):
    """Σ over ions of x² per frame and of |FFT(x)|², for displacements (T, n, 3)."""
    squares = np.einsum("tia,tia->ta", displacements, displacements)
    spectrum = rfft(displacements, n=n_fft, axis=0)
    power = np.einsum("fia,fia->fa", spectrum.real, spectrum.real)
    power += np.einsum("fia,fia->fa", spectrum.imag, spectrum.imag)
    return squares, power


def msd_self(positions: np.ndarray) -> np.ndarray:
    """Self MSD per axis, averaged over ions (Eq. 8 split by axis).

    positions: (T, n_ions, 3) unwrapped positions in Å.
    Returns (T, 3) in Å²; row m is lag m frames, averaged over all T - m time origins.
    """
    n_t, n_ions, _ = positions.shape
    n_fft = next_fast_len(2 * n_t, real=True)
    chunk = max(1, _CHUNK_BYTES // (48 * (n_fft // 2 + 1)))
    squares = np.zeros((n_t, 3))
    power = np.zeros((n_fft // 2 + 1, 3))
    for start in range(0, n_ions, chunk):
        block = positions[:, start : start + chunk]
        chunk_squares, chunk_power = _accumulate(block - block[0], n_fft)
        squares += chunk_squares
        power += chunk_power
    return _msd_from_sums(squares, power, n_fft) / n_ions


def msd_collective(positions: np.ndarray) -> np.ndarray:
    """Collective MSD per axis, (1/N) <|Σ_i Δr_i(t)|²> (Eq. 7 divided by N).

    The 1/N makes independent ions give the self MSD (Haven ratio 1) and rigid
    groups of g ions give g times the self MSD (Haven ratio 1/g).
    positions: (T, n_ions, 3) unwrapped positions in Å. Returns (T, 3) in Å².
    """
    n_t, n_ions, _ = positions.shape
    total = np.zeros((n_t, 3))
    chunk = max(1, _CHUNK_BYTES // (24 * n_t))
    for start in range(0, n_ions, chunk):
        block = positions[:, start : start + chunk]
        total += (block - block[0]).sum(axis=1)
    n_fft = next_fast_len(2 * n_t, real=True)
    squares, power = _accumulate(total[:, None, :], n_fft)
    return _msd_from_sums(squares, power, n_fft) / n_ions
