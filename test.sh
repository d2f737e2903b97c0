#!/usr/bin/env bash
# The test command: installs what the tests need on a fresh Debian machine, then runs the whole suite.
# Prints a final line "N passed, N failed" summed over every test project.
set -uo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cd "$here"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
# The browser tests drive /usr/bin/chromium through Playwright, which must never download a browser of its own.
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1

# apt packages the tests need (fonts for chart text; Debian's Chromium for the report browser tests). Installed only when missing.
packages=(fonts-dejavu-core chromium)
missing=()
for p in "${packages[@]}"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
if ((${#missing[@]})); then
  sudo_cmd=""; [[ $(id -u) -ne 0 ]] && sudo_cmd="sudo"
  echo "test.sh: installing ${missing[*]}" >&2
  $sudo_cmd apt-get update -qq >/dev/null 2>&1 || true
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq "${missing[@]}" >/dev/null || echo "test.sh: could not install ${missing[*]}" >&2
fi

# A folder per invocation, so two runs at once (a developer's and an agent's) never count each other's results.
results="$here/artifacts/test-results/$(date -u +%Y%m%d-%H%M%S)-$$"
mkdir -p "$results"
dotnet test EvalLoop.sln -c Release --logger "trx" --results-directory "$results" "$@"
status=$?

passed=0; failed=0
for f in "$results"/*.trx; do
  [[ -f "$f" ]] || continue
  counters=$(grep -o '<Counters [^>]*>' "$f" | head -1)
  p=$(sed -n 's/.* passed="\([0-9]*\)".*/\1/p' <<<"$counters"); f2=$(sed -n 's/.* failed="\([0-9]*\)".*/\1/p' <<<"$counters")
  passed=$((passed + ${p:-0})); failed=$((failed + ${f2:-0}))
done
if [[ $status -ne 0 && $failed -eq 0 ]]; then failed=1; echo "test.sh: dotnet test exited $status (build or run failure)" >&2; fi
echo "test.sh: results in $results" >&2
echo "$passed passed, $failed failed"
exit $status
