#!/usr/bin/env bash
# Installs the Python peers used by Kinema's side-by-side benchmarks (tools/bench/).
# Debian packages are the reference: Debian's PyAV links Debian's FFmpeg (with libx264).
# Idempotent: does nothing when everything is already installed.
# Python is for benchmarks and golden files only; the Java tests never need it.
# Always run the scripts with /usr/bin/python3 (the system interpreter these packages install into).
set -euo pipefail

PKGS=(python3-av python3-numpy python3-torch python3-torchvision python3-opencv)

missing=()
for p in "${PKGS[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
    missing+=("$p")
  fi
done

if [ "${#missing[@]}" -gt 0 ]; then
  SUDO=""
  if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
  echo "installing: ${missing[*]}"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
else
  echo "all benchmark packages already installed"
fi

/usr/bin/python3 - <<'PY'
import av, numpy, torch, torchvision, cv2
print("python", __import__("sys").version.split()[0])
print("pyav", av.__version__, "| ffmpeg libavcodec", ".".join(map(str, av.library_versions["libavcodec"])))
print("numpy", numpy.__version__, "| torch", torch.__version__, "| torchvision", torchvision.__version__, "| opencv", cv2.__version__)
print("libx264 encoder:", "libx264" in av.codecs_available)
PY
