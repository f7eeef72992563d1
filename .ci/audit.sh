#!/usr/bin/env bash
# `npm audit --omit=dev --audit-level=high`, failing on any high or critical advisory. Where the
# registry's advisory endpoint cannot be reached (a mirror that only serves packages), says so and
# relies on the version floors in test/unit/dependencies.test.ts, which npm test enforces.
set -uo pipefail
report="$(npm audit --omit=dev --audit-level=high --json 2>/dev/null)"
status=$?
if [ $status -eq 0 ]; then
  echo "npm audit: no high or critical advisories in production dependencies"
  exit 0
fi
if printf '%s' "$report" | node -e '
  let text = ""; process.stdin.on("data", (c) => (text += c)).on("end", () => {
    const report = JSON.parse(text || "{}");
    process.exit(report.metadata ? 1 : 0);
  });'; then
  echo "npm audit: the advisory endpoint is unreachable here ($(printf '%s' "$report" | node -pe 'JSON.parse(require("fs").readFileSync(0, "utf8")).message')); version floors are checked by the test suite instead"
  exit 0
fi
printf '%s\n' "$report" | node -e '
  const { metadata } = JSON.parse(require("fs").readFileSync(0, "utf8"));
  console.error("npm audit: vulnerabilities in production dependencies:", JSON.stringify(metadata.vulnerabilities));'
exit 1
