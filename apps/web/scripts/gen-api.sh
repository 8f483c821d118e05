#!/usr/bin/env bash
# Regenerates src/api/schema.d.ts from the API's OpenAPI document (no database needed).
# Run after changing any API route or schema, and commit the result.
set -euo pipefail
web="$(cd "$(dirname "$0")/.." && pwd)"
api="$web/../api"
doc="$(mktemp -t yardstick-openapi.XXXXXX.json)"
trap 'rm -f "$doc"' EXIT
(cd "$api" && npx tsx src/cli/openapi.ts "$doc")
cd "$web"
npx openapi-typescript "$doc" --output src/api/schema.d.ts
