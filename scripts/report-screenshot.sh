#!/bin/sh
# Render an HTML report in headless Chromium, save a full-page screenshot
# and fail if the browser logged any console message (errors in inline SVG,
# blocked resources, script errors).
#
# usage: scripts/report-screenshot.sh [REPORT.html] [OUT.png] [WIDTHxHEIGHT]
#   REPORT.html  page to render; default: the sample page of package
#                report, built with synthetic data by its tests
#   OUT.png      screenshot file; default: report-screenshot.png
#   WIDTHxHEIGHT window size; default: 1200x4000
#
# Needs Go and Chromium (Debian: apt-get install chromium).
set -eu

html=${1:-}
out=${2:-report-screenshot.png}
size=${3:-1200x4000}

browser=$(command -v chromium || command -v chromium-browser || command -v google-chrome || true)
if [ -z "$browser" ]; then
	echo "report-screenshot: chromium not found" >&2
	exit 1
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

if [ -z "$html" ]; then
	root=$(cd "$(dirname "$0")/.." && pwd)
	(cd "$root" && SYNGEOM_REPORT_DEMO="$work" go test -count=1 -run '^TestDemoPage$' ./report >/dev/null)
	html="$work/report.html"
fi
case $html in
/*) ;;
*) html="$(pwd)/$html" ;;
esac
case $out in
/*) ;;
*) out="$(pwd)/$out" ;;
esac

"$browser" --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
	--disable-background-networking --disable-component-update --disable-sync \
	--user-data-dir="$work/profile" --hide-scrollbars \
	--enable-logging=stderr --v=0 \
	--window-size="$(echo "$size" | tr x ,)" --screenshot="$out" \
	"file://$html" 2>"$work/browser.log" >/dev/null

# Console messages from the page are logged as CONSOLE(...) lines.
if grep -E 'CONSOLE|Uncaught|Refused to|net::ERR' "$work/browser.log" >&2; then
	echo "report-screenshot: the page logged console messages (above)" >&2
	exit 1
fi
echo "report-screenshot: $out"
