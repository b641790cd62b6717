#!/usr/bin/env bash
# Debian's ffmpeg (and ffprobe) for the simulator's playable demo videos and the tests that
# check them. A dev tool only: the package never calls it. Idempotent.
set -euo pipefail
if command -v ffmpeg >/dev/null && command -v ffprobe >/dev/null; then
	echo "ffmpeg already installed: $(ffmpeg -version | head -n 1)"
	exit 0
fi
bash "$(dirname "${BASH_SOURCE[0]}")/apt.sh" --no-install-recommends ffmpeg
echo "ffmpeg installed: $(ffmpeg -version | head -n 1)"
