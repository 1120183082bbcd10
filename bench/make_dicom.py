# SPDX-License-Identifier: Apache-2.0
"""Writes small DICOM Part 10 files (Secondary Capture, one 8x8 monochrome frame) for N patients
with French names, to load Orthanc for the benchmark. Standard library only.

Usage: /usr/bin/python3 make_dicom.py OUT_DIR N
"""
import os
import struct
import sys

FIRST = ["Hélène", "Élodie", "Chloé", "Inès", "François", "Loïc", "Jérôme", "Anaïs", "Théo", "Gaëlle"]
LAST = ["Dupont", "Lefèvre", "Lemaître", "Bérard", "Crépin", "Le Goff", "Saint-Exupéry", "Müller-Roche"]
SC = "1.2.840.10008.5.1.4.1.1.7"      # Secondary Capture Image Storage
EXPLICIT_LE = "1.2.840.10008.1.2.1"
ROOT = "1.2.826.0.1.3680043.10.1033"  # an OID root for generated test objects


def element(group, elem, vr, value: bytes) -> bytes:
    if len(value) % 2:
        value += b"\0" if vr in ("UI", "OB") else b" "
    tag = struct.pack("<HH", group, elem)
    if vr in ("OB", "OW", "SQ", "UN", "UT"):
        return tag + vr.encode() + b"\0\0" + struct.pack("<I", len(value)) + value
    return tag + vr.encode() + struct.pack("<H", len(value)) + value


def text(s: str) -> bytes:
    return s.encode("utf-8")


def write(path: str, i: int) -> None:
    study, series, instance = (f"{ROOT}.{i + 1}.1", f"{ROOT}.{i + 1}.2", f"{ROOT}.{i + 1}.3")
    body = b"".join([
        element(0x0008, 0x0005, "CS", b"ISO_IR 192"),
        element(0x0008, 0x0016, "UI", text(SC)),
        element(0x0008, 0x0018, "UI", text(instance)),
        element(0x0008, 0x0020, "DA", b"20261124"),
        element(0x0008, 0x0060, "CS", b"OT"),
        element(0x0010, 0x0010, "PN", text(f"{LAST[i % len(LAST)]}^{FIRST[i % len(FIRST)]}")),
        element(0x0010, 0x0020, "LO", text(f"MS{i + 1:08d}")),
        element(0x0010, 0x0030, "DA", text(f"19{40 + i % 60:02d}0{1 + i % 9}15")),
        element(0x0010, 0x0040, "CS", b"F" if i % 2 else b"M"),
        element(0x0020, 0x000D, "UI", text(study)),
        element(0x0020, 0x000E, "UI", text(series)),
        element(0x0020, 0x0013, "IS", b"1"),
        element(0x0028, 0x0002, "US", struct.pack("<H", 1)),
        element(0x0028, 0x0004, "CS", b"MONOCHROME2"),
        element(0x0028, 0x0010, "US", struct.pack("<H", 8)),
        element(0x0028, 0x0011, "US", struct.pack("<H", 8)),
        element(0x0028, 0x0100, "US", struct.pack("<H", 8)),
        element(0x0028, 0x0101, "US", struct.pack("<H", 8)),
        element(0x0028, 0x0102, "US", struct.pack("<H", 7)),
        element(0x0028, 0x0103, "US", struct.pack("<H", 0)),
        element(0x7FE0, 0x0010, "OB", bytes((x * 4) % 256 for x in range(64))),
    ])
    meta_rest = b"".join([
        element(0x0002, 0x0001, "OB", b"\0\1"),
        element(0x0002, 0x0002, "UI", text(SC)),
        element(0x0002, 0x0003, "UI", text(instance)),
        element(0x0002, 0x0010, "UI", text(EXPLICIT_LE)),
        element(0x0002, 0x0012, "UI", text(f"{ROOT}.0")),
    ])
    meta = element(0x0002, 0x0000, "UL", struct.pack("<I", len(meta_rest))) + meta_rest
    with open(path, "wb") as f:
        f.write(b"\0" * 128 + b"DICM" + meta + body)


def main() -> None:
    out, n = sys.argv[1], int(sys.argv[2])
    os.makedirs(out, exist_ok=True)
    for i in range(n):
        write(os.path.join(out, f"{i:05d}.dcm"), i)


if __name__ == "__main__":
    main()
