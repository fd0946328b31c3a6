#!/usr/bin/env bash
# Installs Debian's Chromium (and Firefox ESR for the Firefox smoke test) when missing.
# Browser tests use these system browsers; nothing is downloaded by a test tool at run time.
set -euo pipefail
need=()
command -v chromium >/dev/null 2>&1 || need+=(chromium)
command -v firefox-esr >/dev/null 2>&1 || need+=(firefox-esr)
[ ${#need[@]} -eq 0 ] && exit 0
as_root=()
if [ "$(id -u)" -ne 0 ]; then
  command -v sudo >/dev/null 2>&1 || { echo "install ${need[*]} (apt-get) or run as root" >&2; exit 1; }
  as_root=(sudo)
fi
echo "Installing ${need[*]} from Debian's packages (once)…"
export DEBIAN_FRONTEND=noninteractive
"${as_root[@]}" apt-get update -qq
"${as_root[@]}" apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
