#!/usr/bin/env bash
# Verifying an image with 100 cosign signatures (SignBenchmarks), and in the same run the
# floor it cannot beat: OpenSSL's speed for the 100 ECDSA P-256 verifications it makes.
set -euo pipefail
cd "$(dirname "$0")/.."
swift package --package-path Benchmarks --disable-sandbox benchmark --target SignBenchmarks
openssl speed -seconds 5 ecdsap256 2>/dev/null | tail -2
