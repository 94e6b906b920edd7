// The README's code blocks land beside this file as Snippet<N>.swift, written by
// `.ci/readme-snippets.py` before Examples/ is built (they are not committed, so they
// cannot go stale): CI builds them as written.
