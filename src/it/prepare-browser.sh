#!/usr/bin/env bash
# What the Node.js clients of the end-to-end tests need besides Java and Maven: Debian's Chromium, playwright-core
# and OpenAI's Node SDK (from src/it/page/package-lock.json). Installs only what is missing.
set -euo pipefail
cd "$(dirname "$0")"
if [ ! -x /usr/bin/chromium ]; then
  sudo_cmd=""
  [ "$(id -u)" -eq 0 ] || sudo_cmd="sudo"
  $sudo_cmd apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq chromium >/dev/null
fi
npm ci --prefix page --no-audit --no-fund --silent
